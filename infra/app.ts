import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, type Environment } from 'aws-cdk-lib';
import { ConfigError, readConfig } from './config.ts';
import { MerzimStack } from './merzim-stack.ts';
import { applyNag } from './nag.ts';

export interface BuildAppOptions {
  /** Where the cloud assembly goes; the CDK CLI's choice (CDK_OUTDIR) or a temporary directory by default. */
  readonly outdir?: string;
  /** Context values (`stage`, `mailFrom`, …); those the CLI passes take precedence. */
  readonly context?: Record<string, unknown>;
}

/** Account and region if the environment names them, else an environment-agnostic stack. */
function environmentFromProcess(): Environment | undefined {
  const account = process.env['CDK_DEPLOY_ACCOUNT'] ?? process.env['CDK_DEFAULT_ACCOUNT'];
  const region = process.env['CDK_DEPLOY_REGION'] ?? process.env['CDK_DEFAULT_REGION'];
  if (account === undefined && region === undefined) return undefined;
  return { ...(account === undefined ? {} : { account }), ...(region === undefined ? {} : { region }) };
}

/**
 * The Merzim CDK app with its one stack, `Merzim-<stage>`. The CDK CLI runs this file; the
 * embedded runtime and the tests call it and then `app.synth()`. Unless the context says
 * `nag=false`, cdk-nag's AwsSolutions checks run on synthesis, and any finding not acknowledged
 * (with its reason, next to the resource) fails it.
 */
export function buildApp(options: BuildAppOptions = {}): App {
  const app = new App({
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    ...(options.context === undefined ? {} : { context: options.context }),
  });
  const config = readConfig(app.node);
  const env = environmentFromProcess();
  new MerzimStack(app, `Merzim-${config.stage}`, {
    config,
    ...(env === undefined ? {} : { env }),
    description: `Merzim (${config.stage}): Kazakhstan's statutory deadlines on Step Functions`,
  });
  if (config.nag) applyNag(app);
  return app;
}

function runAsCdkApp(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (runAsCdkApp()) {
  try {
    buildApp().synth();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`merzim: ${error.message}\n`);
    process.exit(1);
  }
}
