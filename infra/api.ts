import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { API_ROUTES, GROUPS } from '../functions/contract.ts';
import { pascal, resourcePrefix, type Stage } from './config.ts';

export interface MerzimApiProps {
  readonly stage: Stage;
  /** The `api` function: it serves every route. */
  readonly handler: lambda.IFunction;
  readonly corsOrigins: readonly string[];
  /** DESTROY for dev, RETAIN for prod (the user pool). */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Who may call, and what: a Cognito user pool (no self sign-up, a custom `org` attribute, one
 * group per role of `GROUPS`, one app client) and the HTTP API with one route per `API_ROUTES`
 * entry, the `auth: true` ones behind a JWT authorizer on the pool.
 */
export class MerzimApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;

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
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy,
    });
    for (const group of GROUPS) {
      this.userPool.addGroup(pascal(group), { groupName: group });
    }
    this.userPoolClient = this.userPool.addClient('Web', {
      userPoolClientName: `${prefix}-web`,
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      // Tokens carry custom:org; people must not be able to change it themselves.
      readAttributes: new cognito.ClientAttributes().withStandardAttributes({ locale: true }).withCustomAttributes('org'),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ locale: true }),
    });

    this.httpApi = new apigw.HttpApi(this, 'Http', {
      apiName: prefix,
      description: `Merzim ${props.stage}: obligations, rules, calendar, organisations`,
      corsPreflight: {
        allowOrigins: [...props.corsOrigins],
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.PUT, apigw.CorsHttpMethod.DELETE],
        allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
        maxAge: Duration.hours(1),
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
      this.httpApi.addRoutes({
        path,
        methods: [apigw.HttpMethod[method]],
        integration,
        authorizer: auth ? signedIn : anyone,
      });
    }
  }
}
