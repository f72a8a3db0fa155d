/**
 * THE ONE TEST THAT RUNS THE CDK CLI: `npx cdk synth -q` in the project root, as a developer
 * or a pipeline would, with no AWS credentials and nothing reaching the network. One run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CLI_TIMEOUT = 300_000;

/** The environment less every AWS credential, profile and default environment. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(AWS_|CDK_)/.test(name)) env[name] = value;
  }
  return {
    ...env,
    CDK_DISABLE_VERSION_CHECK: '1',
    CDK_DISABLE_CLI_TELEMETRY: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(root, 'cdk.out', 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'cdk.out', 'no-aws-credentials'),
    npm_config_loglevel: 'error',
  };
}

describe('npx cdk synth (CLI, one run)', () => {
  it(
    'exits 0 and writes cdk.out/Merzim-dev.template.json',
    () => {
      const template = path.join(root, 'cdk.out', 'Merzim-dev.template.json');
      const started = Date.now();
      const run = spawnSync('npx', ['cdk', 'synth', '-q', '--no-notices'], { cwd: root, env: offlineEnv(), encoding: 'utf8', timeout: CLI_TIMEOUT });
      expect(run.error).toBeUndefined();
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(existsSync(template)).toBe(true);
      expect(statSync(template).mtimeMs).toBeGreaterThanOrEqual(started - 1000);
      const resources = (JSON.parse(readFileSync(template, 'utf8')) as { Resources: Record<string, { Type: string }> }).Resources;
      expect(Object.values(resources).some((resource) => resource.Type === 'AWS::StepFunctions::StateMachine')).toBe(true);
    },
    CLI_TIMEOUT,
  );
});
