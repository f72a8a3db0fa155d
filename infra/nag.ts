import { Stack, Validations, type App, type CfnElement } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 runs as a CDK validation plugin: `Validations.of(app).addPlugins(...)`. Synthesis
 * then fails on any finding, error or warning, that is not acknowledged, in the CLI (`cdk synth`
 * prints the report and exits non-zero) and in process (`app.synth()` throws with the report).
 */
export function applyNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}

/**
 * Acknowledges (suppresses) one cdk-nag finding on a construct and everything under it, with the
 * reason a reviewer reads. cdk-nag 3 matches ids exactly: a rule that reports several findings
 * (IAM5) is acknowledged finding by finding, `AwsSolutions-IAM5[Resource::…]`.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** The same reason for several findings. */
export function acknowledgeAll(scope: IConstruct, ids: readonly string[], reason: string): void {
  for (const id of ids) acknowledge(scope, id, reason);
}

/**
 * The IAM5 finding of CDK's `lambda:InvokeFunction` grant on a function's versions and aliases,
 * `<function ARN>:*`, as cdk-nag names it: `AwsSolutions-IAM5[Resource::<LogicalId.Arn>:*]`.
 */
export function invokeVersionsFinding(fn: lambda.IFunction): string {
  const logicalId = Stack.of(fn).resolve((fn.node.defaultChild as CfnElement).logicalId) as string;
  return `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`;
}
