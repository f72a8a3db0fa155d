import { Aws, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token, type CfnElement } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { DashboardConfig } from '../web/config.ts';
import { resourcePrefix, type Stage } from './config.ts';
import { acknowledge, acknowledgeAll } from './nag.ts';

export interface MerzimDashboardProps {
  readonly stage: Stage;
  /** The built dashboard, file name → contents (`buildDashboardSync()` of web/build.ts). */
  readonly files: ReadonlyMap<string, { readonly body: Uint8Array }>;
  /** How long CloudFront's and S3's access logs are kept, in days. */
  readonly logRetentionDays: number;
  /**
   * A custom domain and its certificate (us-east-1). Without them the distribution serves its
   * `*.cloudfront.net` name with CloudFront's default certificate.
   * @default - none
   */
  readonly domainNames?: readonly string[];
  readonly certificate?: acm.ICertificate;
}

/**
 * aws-cdk-lib's `Bucket` declares `isWebsite?: boolean` where `IBucket` says `isWebsite: boolean`:
 * under `exactOptionalPropertyTypes` the class is not assignable to its own interface.
 */
function asIBucket(bucket: s3.Bucket): s3.IBucket {
  return bucket as unknown as s3.IBucket;
}

/** What the page needs to know: the API and the Cognito hosted UI (web/config.ts). */
export interface DashboardDeploymentProps {
  /** The API's base URL, `https://<id>.execute-api.<region>.amazonaws.com`. */
  readonly apiUrl: string;
  /** The hosted UI's base URL, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly hostedUiUrl: string;
  readonly clientId: string;
  /** The ID token claim that names the user (the API reads the same one). */
  readonly userClaim: string;
}

/**
 * The dashboard on S3 + CloudFront: a private, versioned, TLS-only bucket read by CloudFront
 * through Origin Access Control, HTTPS only, security headers with a strict CSP, and access
 * logs (CloudFront's and the bucket's) to a log bucket. `deploy()` uploads the built files and
 * `config.json`; it comes after the API because the API's CORS and the app client's callback
 * name this distribution (see `url`).
 *
 * The buckets are retained in every stage: emptying them on deletion would take a custom
 * resource (a Lambda function) of its own, and the files are rebuilt on every deployment anyway.
 */
export class MerzimDashboard extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** `https://<domain>`: the page's origin (for CORS). */
  readonly origin: string;
  /** `https://<domain>/`: the page's URL (the hosted UI's callback). */
  readonly url: string;
  private readonly files: MerzimDashboardProps['files'];

  constructor(scope: Construct, id: string, props: MerzimDashboardProps) {
    super(scope, id);
    const prefix = resourcePrefix(props.stage);
    this.files = props.files;

    this.logBucket = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are written with an ACL: the bucket must accept them.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.logBucket,
      'AwsSolutions-S1',
      'This is the access log bucket of the dashboard (CloudFront and S3 server access logs): logging its own accesses to itself would loop, and it holds no data.',
    );

    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: asIBucket(this.logBucket),
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      responseHeadersPolicyName: `${prefix}-dashboard`,
      comment: `Merzim ${props.stage} dashboard: CSP, HSTS, nosniff, frame deny`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Merzim ${props.stage} dashboard`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(asIBucket(this.bucket)),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: asIBucket(this.logBucket),
      logFilePrefix: 'cloudfront/',
      ...(props.certificate === undefined ? {} : {
            certificate: props.certificate,
            domainNames: [...(props.domainNames ?? [])],
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }),
    });
    const domain = props.domainNames?.[0] ?? this.distribution.distributionDomainName;
    this.origin = `https://${domain}`;
    this.url = `https://${domain}/`;

    if (props.certificate === undefined) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'Without a custom domain the distribution serves *.cloudfront.net with the default certificate, whose security policy CloudFront fixes; ' +
          'TLSv1.2_2021 is set as soon as a certificate is given (MerzimDashboardProps.certificate).',
      );
    }
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geo restriction: the users are officials in Kazakhstan, but they travel (conferences, secondments) and sign in from abroad; every API call needs a Cognito token anyway.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'No WAF web ACL: the distribution serves static files only (no data, no forms posted to it) and a web ACL costs a fixed monthly fee per stage; the API has its own throttling and authorizer.',
    );
  }

  /** Uploads the built dashboard and its `config.json`, and invalidates CloudFront's cache. */
  deploy(props: DashboardDeploymentProps): s3deploy.BucketDeployment {
    const config: DashboardConfig = {
      apiUrl: props.apiUrl,
      auth: { kind: 'cognito', domain: props.hostedUiUrl, clientId: props.clientId, redirectUri: this.url, userClaim: props.userClaim },
    };
    const sources = [...this.files].map(([name, file]) => {
      const text = Buffer.from(file.body).toString('utf8');
      // The CSP header cannot name the API (the API's CORS names this distribution: a cycle);
      // the page narrows connect-src to the API's and the hosted UI's exact URLs with a meta CSP (both apply).
      return s3deploy.Source.data(name, name === 'index.html' ? narrowConnectSrc(text, props.apiUrl, props.hostedUiUrl) : text);
    });
    sources.push(s3deploy.Source.jsonData('config.json', config));
    const deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      sources,
      destinationBucket: asIBucket(this.bucket),
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
    });
    this.acknowledgeDeploymentHandler();
    return deployment;
  }

  /**
   * The findings on CDK's own BucketDeployment function: a singleton at the stack's root (one for
   * every BucketDeployment of the stack), so they are acknowledged there.
   */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler === undefined) throw new Error('no BucketDeployment function at the stack root');
    acknowledge(
      handler,
      'AwsSolutions-L1',
      'The BucketDeployment function is CDK’s own (aws-s3-deployment): its Python runtime is chosen by aws-cdk-lib and moves with its upgrades, not set here.',
    );
    acknowledge(
      handler,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'CDK’s BucketDeployment function logs through the AWS managed AWSLambdaBasicExecutionRole (CreateLogGroup, CreateLogStream, PutLogEvents), nothing else.',
    );
    const qualifier = (stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    // The asset bucket's name, as cdk-nag renders it: the account and region if the stack names them.
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const siteBucket = stack.resolve((this.bucket.node.defaultChild as CfnElement).logicalId) as string;
    acknowledgeAll(
      handler,
      [
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-${account}-${region}/*]`,
        `AwsSolutions-IAM5[Resource::<${siteBucket}.Arn>/*]`,
      ],
      'CDK’s BucketDeployment grants its function read on the CDK asset bucket (s3:GetObject*, GetBucket*, List* on its objects) and write on the ' +
        'dashboard bucket (DeleteObject*, Abort* on its objects) to copy the built files: the two buckets, nothing else.',
    );
    acknowledge(
      handler,
      'AwsSolutions-IAM5[Resource::*]',
      'CDK’s BucketDeployment grants cloudfront:CreateInvalidation and GetInvalidation on * to invalidate the dashboard’s cache after a deployment.',
    );
  }
}

/**
 * The dashboard's CSP: its own scripts and styles only, no frames, no plugins, and calls to its
 * own origin (`config.json`) and to API Gateway in the stack's region; `index.html` narrows
 * `connect-src` to the API's exact URL.
 */
function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    // The API, and the hosted UI's token endpoint (the code flow trades its code there).
    `connect-src 'self' https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX} https://*.auth.${Aws.REGION}.amazoncognito.com`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** `index.html` with a meta CSP that allows `connect-src` to the page itself, the API and the hosted UI only. */
export function narrowConnectSrc(html: string, apiUrl: string, hostedUiUrl: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="connect-src 'self' ${apiUrl} ${hostedUiUrl}">`;
  if (!html.includes('<head>')) throw new Error('index.html has no <head>');
  return html.replace('<head>', `<head>\n    ${meta}`);
}
