/**
 * The local services accept any credentials. Clients still need some to sign requests, and they
 * must never find real ones on the machine, so everything the runtime creates gets these.
 */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export const defaultRegion = 'eu-central-1';

export function localClientConfig(endpoint: string, region = defaultRegion) {
  return { endpoint, region, credentials: localCredentials } as const;
}
