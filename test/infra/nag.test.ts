/**
 * cdk-nag's AwsSolutions checks on the prod and dev stacks: no finding, error or warning, that
 * is not acknowledged next to its resource with a reason. cdk-nag 3 is a CDK validation plugin
 * (`Validations.of(app).addPlugins`), not an Aspect: `buildApp` registers it, so synthesis
 * itself fails on a finding; these tests run the same pack directly to list what it finds, and
 * check that synthesis does fail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack, Validations, type App } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';

// Synthesizing without bundles still fingerprints the project for the functions' assets: seconds.
const SYNTH_TIMEOUT = 120_000;

const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

/** The app without bundles (nag reads the construct tree, not the code). */
function app(context: Record<string, unknown>): App {
  const outdir = mkdtempSync(path.join(tmpdir(), 'merzim-nag-'));
  outdirs.push(outdir);
  return buildApp({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
}

function stackOf(built: App): Stack {
  return built.node.children.find((child): child is Stack => child instanceof Stack)!;
}

/** Every acknowledgment in the tree: rule id → reasons. */
function acknowledgments(root: IConstruct): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        const rule = id.replace(/^annotation::/i, '');
        found.set(rule, [...(found.get(rule) ?? []), reason]);
      }
    }
  }
  return found;
}

describe.each(['dev', 'prod'])('cdk-nag AwsSolutions on Merzim-%s', (stage) => {
  const built = app({ stage, ...(stage === 'prod' ? { alarmEmail: 'duty@merzim.gov.kz', createMailIdentity: true } : {}) });
  const stack = stackOf(built);

  it('finds no unacknowledged error and no unacknowledged warning', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
    const listed = report.violations.map((violation) => `${violation.severity} ${violation.ruleName} at ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}: ${violation.description}`);
    expect(listed).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges only the reviewed rules, each with a reason a reviewer can check', () => {
    const found = acknowledgments(stack);
    const rules = [...found.keys()].map((id) => id.replace(/\[.*\]$/, '')).sort();
    const allowed = new Set([
      'AwsSolutions-APIG4',
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR2',
      'AwsSolutions-CFR4',
      'AwsSolutions-COG2',
      'AwsSolutions-COG8',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      'AwsSolutions-SF1',
      'AwsSolutions-SF2',
      'AwsSolutions-SQS3',
      // The cursor key: it seals a place in a list and grants no access; rotated by a deploy (infra/functions.ts).
      'AwsSolutions-SMG4',
      // aws-cdk-lib's own, on the dashboard's log bucket: the LogDeliveryWrite ACL that S3 server access logs use.
      'CloudFormation-Validate::W3045',
    ]);
    expect(rules.filter((rule) => !allowed.has(rule))).toEqual([]);
    // COG8 (the Plus plan) is acknowledged in dev only: prod has it.
    expect(found.has('AwsSolutions-COG8')).toBe(stage === 'dev');
    // No acknowledgment of a whole rule that reports findings one by one.
    expect(found.has('AwsSolutions-IAM5')).toBe(false);
    expect(found.has('AwsSolutions-IAM4')).toBe(false);
    // IAM4 only for the AWS managed policy of CDK's BucketDeployment function (the dashboard's upload).
    expect([...found.keys()].filter((id) => id.startsWith('AwsSolutions-IAM4['))).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    ]);
    for (const [id, reasons] of found) {
      for (const reason of reasons) expect(reason.length, id).toBeGreaterThanOrEqual(60);
    }
  });

  it('acknowledges IAM5 only for the stage’s state machine prefix, the log delivery actions, CDK’s invoke grants on function versions and CDK’s BucketDeployment', () => {
    const iam5 = [...acknowledgments(stack).keys()].filter((id) => id.startsWith('AwsSolutions-IAM5['));
    for (const id of iam5) {
      expect(id).toMatch(
        new RegExp(
          String.raw`^AwsSolutions-IAM5\[(Resource::(\*|<Functions\w+\.Arn>:\*|<DashboardSite\w+\.Arn>/\*|arn:<AWS::Partition>:s3:::cdk-\w+-assets-<AWS::AccountId>-<AWS::Region>/\*|arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:(stateMachine:merzim-${stage}-\*|execution:merzim-${stage}-\*:\*))|Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*)\]$`,
        ),
      );
    }
  });
});

describe('the app', () => {
  it('fails to synthesize when a finding is not acknowledged', () => {
    const built = app({ stage: 'dev' });
    new sqs.Queue(stackOf(built), 'Unencrypted', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(() => built.synth()).toThrow(/AwsSolutions-SQS[234]/);
  }, SYNTH_TIMEOUT);

  it('runs no checks with context nag=false', () => {
    const built = app({ stage: 'dev', nag: 'false' });
    new sqs.Queue(stackOf(built), 'Unencrypted', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(() => built.synth()).not.toThrow();
  }, SYNTH_TIMEOUT);
});
