import { execFile } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nodeVersionHint } from '../../cli/commands/start.ts';

const script = fileURLToPath(new URL('../prerequisites.mjs', import.meta.url));
const run = promisify(execFile);

describe('what npm test needs, checked before the first test', () => {
  it('on this machine everything is there: it says nothing and lets the tests run', async () => {
    const { stdout, stderr } = await run(process.execPath, [script]);
    expect(stdout + stderr).toBe('');
  });

  it('on a machine without Java and the AWS CLI it stops at once with the one command that installs both', async () => {
    // A PATH that holds node alone.
    const bare = mkdtempSync(join(tmpdir(), 'merzim-path-'));
    symlinkSync(process.execPath, join(bare, 'node'));
    const failed = await run(process.execPath, [script], { env: { PATH: bare } }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    const lines = (failed?.stderr ?? '').trim().split('\n');
    expect(lines[0]).toMatch(/^npm test needs Java 17 \(DynamoDB Local\), .*the AWS CLI/);
    expect(lines[1]).toMatch(/apt-get update && (sudo )?apt-get install -y openjdk-17-jre-headless( chromium)? awscli$/);
    expect(lines).toHaveLength(2);
  });
});

describe('npm start on an older Node', () => {
  it('prints one line naming the Node the dependencies declare, and nothing on Node 22 or later', () => {
    expect(nodeVersionHint('20.20.2')).toBe(
      'merzim start: Node 20.20.2 runs Merzim (a shim stands in for Promise.withResolvers), but its dependencies declare Node >= 22: upgrade Node when you can.',
    );
    expect(nodeVersionHint('22.12.0')).toBeUndefined();
    expect(nodeVersionHint('24.1.0')).toBeUndefined();
  });
});
