import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_ROUTES, GROUPS } from '../contract/index.ts';
import { pascal, resourcePrefix, type Stage } from './config.ts';
import { acknowledge } from './nag.ts';

export interface MerzimApiProps {
  readonly stage: Stage;
  /** The `api` function: it serves every route. */
  readonly handler: lambda.IFunction;
  readonly corsOrigins: readonly string[];
  /** DESTROY for dev, RETAIN for prod (the user pool, the access log group). */
  readonly removalPolicy: RemovalPolicy;
  /** How long the access log group keeps its logs. */
  readonly logRetention: logs.RetentionDays;
  /**
   * The dashboard's URL (infra/dashboard.ts): the app client then signs people in on the Cognito
   * hosted UI (a domain `merzim-<stage>-<account>`) and sends them back there.
   * @default - no hosted UI
   */
  readonly dashboardUrl?: string;
}

/**
 * One JSON line per request on the `$default` stage. No source IP and no user agent: the
 * product keeps no personal data (LEGAL.md §5). `user` is the token's `sub`, Cognito's UUID of
 * the account (the audit trail names its username, `cognito:username`; `aws cognito-idp
 * list-users --filter 'sub = "<uuid>"'` turns one into the other).
 */
const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  user: '$context.authorizer.claims.sub',
};

/**
 * The whole API's ceiling, every route and caller together (API Gateway answers 429 above it).
 * Merzim serves one region's officials, a few hundred people: at the busiest hour of a working
 * morning, each opening a screen (5–10 requests) a minute is well under 20 requests a second.
 * 50 a second, with bursts of 100 (everyone's dashboard loading at 9:00), leaves room for that
 * and stops a flood before it reaches the function's concurrency and the table's on-demand
 * bill. One person is held far lower by the function (functions/api/limits.ts).
 */
export const STAGE_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * Who may call, and what: a Cognito user pool (no self sign-up, a strong password policy,
 * optional TOTP, a custom `org` attribute that only administrators write, one group per role of
 * `GROUPS`, one app client whose ID token carries `custom:org`) and the HTTP API with one route
 * per `API_ROUTES` entry, the `auth: true` ones behind a JWT authorizer on the pool, and access
 * logs in JSON.
 */
export class MerzimApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly accessLogs: logs.LogGroup;
  /** The hosted UI's domain, when the dashboard is deployed. */
  readonly hostedUi?: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: MerzimApiProps) {
    super(scope, id);
    const prefix = resourcePrefix(props.stage);

    this.userPool = new cognito.UserPool(this, 'Users', {
      userPoolName: prefix,
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      // Work identities only (LEGAL.md §5): the unit a person works for, set by an administrator.
      customAttributes: { org: new cognito.StringAttribute({ mutable: true, minLen: 1, maxLen: 128 }) },
      accountRecovery: cognito.AccountRecovery.NONE,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // TOTP only (no SMS: no phone numbers are kept), offered to everyone, required of no one (see the COG2 acknowledgment).
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      // Threat protection (compromised credentials, adaptive authentication) needs the Plus plan: prod only.
      ...(props.stage === 'prod'
        ? { featurePlan: cognito.FeaturePlan.PLUS, standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION }
        : { featurePlan: cognito.FeaturePlan.ESSENTIALS }),
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy,
    });
    acknowledge(
      this.userPool,
      'AwsSolutions-COG2',
      'MFA is optional TOTP by decision of issue 5: accounts are work identities made by an administrator (no self sign-up, 12-character passwords with ' +
        'all character classes), and enrolment in TOTP is rolled out unit by unit; SMS is off because the pool keeps no phone numbers (LEGAL.md §5).',
    );
    if (props.stage !== 'prod') {
      acknowledge(
        this.userPool,
        'AwsSolutions-COG8',
        'The dev pool holds test accounts only; the Plus plan (threat protection, billed per active user) is enabled on the prod pool.',
      );
    }
    for (const group of GROUPS) {
      this.userPool.addGroup(pascal(group), { groupName: group });
    }
    this.userPoolClient = this.userPool.addClient('Web', {
      userPoolClientName: `${prefix}-web`,
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      // The ID token carries custom:org (the API reads it); people must not be able to change it themselves.
      readAttributes: new cognito.ClientAttributes().withStandardAttributes({ locale: true }).withCustomAttributes('org'),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ locale: true }),
      // The dashboard (web/config.ts, `cognito`; web/src/oauth.ts): the authorization-code flow with
      // PKCE (S256), state and nonce, a public client (no secret). No implicit grant: a token in a
      // URL's fragment can be planted by another page (login CSRF) and leaks to history.
      ...(props.dashboardUrl === undefined
        ? {}
        : {
            supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
            oAuth: {
              flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
              scopes: [cognito.OAuthScope.OPENID],
              callbackUrls: [props.dashboardUrl],
              logoutUrls: [props.dashboardUrl],
            },
          }),
    });
    if (props.dashboardUrl !== undefined) {
      this.hostedUi = this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: `${prefix}-${Aws.ACCOUNT_ID}` } });
    }

    this.httpApi = new apigw.HttpApi(this, 'Http', {
      apiName: prefix,
      // The `$default` stage is made below, with access logs (same construct id, so the same logical id).
      createDefaultStage: false,
      description: `Merzim ${props.stage}: obligations, rules, calendar, organisations`,
      corsPreflight: {
        allowOrigins: [...props.corsOrigins],
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.PUT, apigw.CorsHttpMethod.DELETE],
        allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
        // A 429 says when to come back (functions/api/limits.ts): the dashboard reads it.
        exposeHeaders: ['Retry-After'],
        maxAge: Duration.hours(1),
      },
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `/merzim/${props.stage}/api/access`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    new apigw.HttpStage(this.httpApi, 'DefaultStage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      throttle: STAGE_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });

    const integration = new HttpLambdaIntegration('Handler', props.handler, {
      payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
    });
    const signedIn = new HttpUserPoolAuthorizer('SignedIn', this.userPool, {
      authorizerName: `${prefix}-cognito`,
      userPoolClients: [this.userPoolClient],
      identitySource: ['$request.header.Authorization'],
    });
    const anyone = new apigw.HttpNoneAuthorizer();

    for (const { route, auth } of API_ROUTES) {
      const [method, path] = route.split(' ') as [keyof typeof apigw.HttpMethod, string];
      const [added] = this.httpApi.addRoutes({
        path,
        methods: [apigw.HttpMethod[method]],
        integration,
        authorizer: auth ? signedIn : anyone,
      });
      if (!auth && added !== undefined) {
        acknowledge(
          added,
          'AwsSolutions-APIG4',
          `${route} is public by design (auth: false in API_ROUTES): the OpenAPI description of the API, the same for everyone, with no data in it.`,
        );
      }
    }
  }
}
