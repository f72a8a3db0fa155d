import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * What every bundle holds in place of the SDK's default credential chain
 * (`@aws-sdk/credential-provider-node`, replaced by `BUNDLE.alias` in infra/bundling.ts).
 *
 * Lambda hands a function its role's credentials in the environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), which is the chain's first link and the one it
 * settles on there; the embedded runtime hands its throwaway credentials the same way. The other
 * links (profiles, SSO, web identity, ECS and instance metadata) never apply to a function, and
 * their code, with the STS and SSO clients they bring, was about 110 KiB of every bundle, parsed
 * at every cold start. Same export as the package it replaces: the clients call it with their config.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}): ReturnType<typeof fromEnv> => fromEnv(init);
