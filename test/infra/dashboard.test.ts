/**
 * The dashboard on S3 + CloudFront (infra/dashboard.ts): a private, TLS-only bucket read through
 * Origin Access Control, HTTPS only, security headers with a strict CSP, access logs, and the
 * built files with config.json uploaded by a BucketDeployment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { narrowConnectSrc } from '../../infra/dashboard.ts';

const SYNTH_TIMEOUT = 120_000;
const outdirs: string[] = [];
let dev: Template;
let prod: Template;

function synthesize(context: Record<string, unknown>): Template {
  const outdir = mkdtempSync(path.join(tmpdir(), 'merzim-dashboard-'));
  outdirs.push(outdir);
  const app = buildApp({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
  return Template.fromStack(app.node.children.find((child): child is Stack => child instanceof Stack)!);
}

beforeAll(() => {
  dev = synthesize({ stage: 'dev' });
  prod = synthesize({ stage: 'prod', corsOrigins: 'https://merzim.gov.kz' });
}, SYNTH_TIMEOUT);

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

type Resources = Record<string, { Properties: Record<string, any>; DeletionPolicy?: string }>;
const siteBucketId = (template: Template): string => Object.keys(template.findResources('AWS::S3::Bucket', { Properties: { VersioningConfiguration: Match.anyValue() } }))[0]!;

describe('the dashboard bucket', () => {
  it('is private, encrypted, versioned, logged and retained', () => {
    for (const template of [dev, prod]) {
      const id = siteBucketId(template);
      const bucket = (template.findResources('AWS::S3::Bucket') as Resources)[id]!;
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/^DashboardLogs/) } },
      });
      expect(bucket.DeletionPolicy).toBe('Retain');
    }
  });

  it('denies every request without TLS and lets only the distribution read', () => {
    const id = siteBucketId(dev);
    dev.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    const policy = Object.values(dev.findResources('AWS::S3::BucketPolicy') as Resources).find((each) => each.Properties['Bucket'].Ref === id)!;
    expect(JSON.stringify(policy)).not.toContain('"Principal":"*"');
  });
});

describe('the distribution', () => {
  it('reads the bucket through Origin Access Control, serves index.html at the root and redirects HTTP to HTTPS', () => {
    dev.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    dev.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', ResponseHeadersPolicyId: { Ref: Match.stringLikeRegexp('^DashboardHeaders') } }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } })],
        Logging: { Bucket: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DashboardLogs'), 'RegionalDomainName'] }, Prefix: 'cloudfront/' },
      }),
    });
  });

  it('sends a strict CSP, HSTS, nosniff and frame deny', () => {
    const policies = Object.values(dev.findResources('AWS::CloudFront::ResponseHeadersPolicy') as Resources);
    expect(policies).toHaveLength(1);
    const headers = policies[0]!.Properties['ResponseHeadersPolicyConfig'].SecurityHeadersConfig;
    expect(headers).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
    });
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).toContain("connect-src 'self' https://*.execute-api.");
    // The code flow trades its code at the hosted UI's token endpoint.
    expect(csp).toMatch(/connect-src [^;]*https:\/\/\*\.auth\.[^;]*amazoncognito\.com/);
    expect(csp).not.toContain('unsafe-');
  });

  it('is the app client’s callback, a CORS origin of the API and the output DashboardUrl', () => {
    const url = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^DashboardDistribution'), 'DomainName'] }, '/']] };
    dev.hasResourceProperties('AWS::Cognito::UserPoolClient', { AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: [url], GenerateSecret: false });
    dev.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: { 'Fn::Join': ['', ['merzim-dev-', { Ref: 'AWS::AccountId' }]] } });
    dev.hasOutput('DashboardUrl', { Value: url });
    const origin = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^DashboardDistribution'), 'DomainName'] }]] };
    prod.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://merzim.gov.kz', origin] }) });
    // Without corsOrigins: the dashboard's origin only.
    dev.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ AllowOrigins: [origin] }) });
  });
});

describe('the deployment', () => {
  it('uploads the built files and config.json to the bucket, naming the API, and invalidates the cache', () => {
    const deployments = Object.values(dev.findResources('Custom::CDKBucketDeployment') as Resources);
    expect(deployments).toHaveLength(1);
    const properties = deployments[0]!.Properties;
    expect(properties['DestinationBucketName']).toEqual({ Ref: siteBucketId(dev) });
    expect(properties['Prune']).toBe(true);
    expect(properties['DistributionPaths']).toEqual(['/*']);
    // app.js, app.css, index.html (with the API's URL) and config.json (API, client, hosted UI).
    expect(properties['SourceObjectKeys']).toHaveLength(4);
    const markers = JSON.stringify(properties['SourceMarkers']);
    expect(markers).toContain('ApiEndpoint');
    expect(markers).toMatch(/ApiUsersWeb/);
    expect(markers).toMatch(/ApiUsersHostedUi/);
  });

  it('narrows connect-src to the API in index.html', () => {
    const html = narrowConnectSrc('<html><head><title>x</title></head></html>', 'https://abc.execute-api.eu-central-1.amazonaws.com', 'https://merzim-prod-1.auth.eu-central-1.amazoncognito.com');
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="connect-src 'self' https://abc.execute-api.eu-central-1.amazonaws.com https://merzim-prod-1.auth.eu-central-1.amazoncognito.com">`,
    );
    expect(() => narrowConnectSrc('<html></html>', 'https://x', 'https://y')).toThrow(/no <head>/);
  });
});
