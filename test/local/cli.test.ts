import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { JavaMissingError, localClientConfig, startDynamoDbLocal } from '../../local/index.ts';

// Real services can be slow to answer on a busy CI machine; no test waits on time itself.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const awsEnv = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'eu-central-1', AWS_PAGER: '' };

interface Endpoints {
  readonly dynamodb: string;
  readonly ses: string;
  readonly sfn: string;
}

let local: ChildProcessWithoutNullStreams;
let endpoints: Endpoints;
let stderr = '';

// `npx merzim local`, as the README shows it (in memory, to leave nothing behind).
beforeAll(async () => {
  local = spawn(process.execPath, [join(root, 'bin', 'merzim.mjs'), 'local', '--in-memory'], { cwd: root, env: { ...process.env, ...awsEnv } });
  local.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: local.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    local.once('exit', (code) => reject(new Error(`merzim local exited with ${String(code)}: ${stderr}`)));
  });
  endpoints = JSON.parse(first) as Endpoints;
}, 60_000);
afterAll(() => {
  if (local.exitCode === null) local.kill('SIGKILL');
});

test('npx merzim local prints one JSON line with the three endpoint URLs, and each answers', async () => {
  expect(Object.keys(endpoints).sort()).toEqual(['dynamodb', 'ses', 'sfn']);
  expect((await fetch(`${endpoints.ses}/health-check`)).status).toBe(200);
  const { stdout } = await run('aws', ['dynamodb', 'list-tables', '--endpoint-url', endpoints.dynamodb], { env: { ...process.env, ...awsEnv } });
  expect(JSON.parse(stdout)).toHaveProperty('TableNames');
});

test("the README's AWS CLI commands create a state machine, start it and list its executions", { timeout: 60_000 }, async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '').find((text) => text.includes('list-executions'));
  expect(block).toBeDefined();
  const script = block!.replace('http://127.0.0.1:PORT', endpoints.sfn);
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { env: { ...process.env, AWS_PAGER: '' } });
  // Three JSON documents: the state machine, the execution started, the list.
  expect(stdout).toContain('"stateMachineArn": "arn:aws:states:eu-central-1:000000000000:stateMachine:hello"');
  expect(stdout).toContain('"executionArn": "arn:aws:states:eu-central-1:000000000000:execution:hello:first"');
  expect(stdout).toMatch(/"executions": \[\s*\{/);
});

test('the AWS CLI describes an execution, reads its history and gets the AWS error for a missing one', { timeout: 60_000 }, async () => {
  const env = { ...process.env, ...awsEnv };
  const sfn = (...args: string[]) => run('aws', ['stepfunctions', ...args, '--endpoint-url', endpoints.sfn], { env });
  await sfn(
    'create-state-machine',
    '--name', 'cli-check',
    '--role-arn', 'arn:aws:iam::000000000000:role/local',
    '--definition', JSON.stringify({ StartAt: 'Mark', States: { Mark: { Type: 'Pass', Result: 'checked', ResultPath: '$.state', End: true } } }),
  );
  const machine = 'arn:aws:states:eu-central-1:000000000000:stateMachine:cli-check';
  const started = JSON.parse((await sfn('start-execution', '--state-machine-arn', machine, '--name', 'OBL-5-r1', '--input', '{"ref":"OBL-5"}')).stdout) as { executionArn: string };

  let described: { status: string; output?: string };
  do {
    described = JSON.parse((await sfn('describe-execution', '--execution-arn', started.executionArn)).stdout) as typeof described;
  } while (described.status === 'RUNNING');
  expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"ref":"OBL-5","state":"checked"}' });

  const history = JSON.parse((await sfn('get-execution-history', '--execution-arn', started.executionArn)).stdout) as { events: { type: string }[] };
  expect(history.events.map((event) => event.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);

  const succeeded = JSON.parse((await sfn('list-executions', '--state-machine-arn', machine, '--status-filter', 'SUCCEEDED')).stdout) as { executions: { name: string }[] };
  expect(succeeded.executions.map((execution) => execution.name)).toEqual(['OBL-5-r1']);

  const missing = await sfn('describe-execution', '--execution-arn', `${started.executionArn}-nope`).then(
    () => '',
    (error: { stderr: string }) => error.stderr,
  );
  expect(missing).toContain('ExecutionDoesNotExist');
});

test("the AWS CLI's start-execution --name 'bad name' is refused with InvalidName, as AWS refuses it", { timeout: 60_000 }, async () => {
  const env = { ...process.env, ...awsEnv };
  const sfn = (...args: string[]) => run('aws', ['stepfunctions', ...args, '--endpoint-url', endpoints.sfn], { env });
  await sfn(
    'create-state-machine',
    '--name', 'cli-names',
    '--role-arn', 'arn:aws:iam::000000000000:role/local',
    '--definition', JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
  );
  const machine = 'arn:aws:states:eu-central-1:000000000000:stateMachine:cli-names';
  const refused = await sfn('start-execution', '--state-machine-arn', machine, '--name', 'bad name').then(
    () => '',
    (error: { stderr: string }) => error.stderr,
  );
  expect(refused).toMatch(/An error occurred \(InvalidName\) when calling the StartExecution operation: Invalid Name: 'bad name'/);
  const badMachine = await sfn('create-state-machine', '--name', 'bad name', '--role-arn', 'arn:aws:iam::000000000000:role/local', '--definition', '{}').then(
    () => '',
    (error: { stderr: string }) => error.stderr,
  );
  expect(badMachine).toContain('(InvalidName)');
});

test('the local SES takes mail from the AWS SDK and keeps it where a test can read it', async () => {
  const ses = new SESv2Client(localClientConfig(endpoints.ses));
  try {
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'merzim@akimat.example',
        Destination: { ToAddresses: ['secretary@akimat.example'] },
        Content: { Simple: { Subject: { Data: 'OBL-9: мерзім өтті' }, Body: { Text: { Data: 'OBL-9' } }, Headers: [{ Name: 'X-Merzim-Notice', Value: 'OBL-9/NOTE#due' }] } },
      }),
    );
  } finally {
    ses.destroy();
  }
  const store = (await (await fetch(`${endpoints.ses}/store`)).json()) as { emails: { subject: string; destination: { to: string[] } }[] };
  expect(store.emails).toEqual([
    expect.objectContaining({
      subject: 'OBL-9: мерзім өтті',
      destination: expect.objectContaining({ to: ['secretary@akimat.example'] }),
      headers: [{ name: 'X-Merzim-Notice', value: 'OBL-9/NOTE#due' }],
    }),
  ]);
});

test('SIGINT stops merzim local cleanly: exit status 0, and DynamoDB Local is gone with it', { timeout: 30_000 }, async () => {
  const exited = new Promise<number | null>((resolve) => local.once('exit', (code) => resolve(code)));
  local.kill('SIGINT');
  expect(await exited).toBe(0);
  await expect(fetch(`${endpoints.dynamodb}/`)).rejects.toThrow();
  await expect(fetch(`${endpoints.ses}/health-check`)).rejects.toThrow();
});

test('merzim local with a stray argument is a usage error: one line, exit status 2', async () => {
  const errors: string[] = [];
  const status = await main(['local', 'now'], { out: () => {}, err: (line) => errors.push(line) });
  expect(status).toBe(2);
  expect(errors).toEqual(['merzim local: unexpected argument "now"']);
});

test('without Java on the PATH, DynamoDB Local fails with a message that says what to install', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'merzim-no-java-'));
  const path = process.env['PATH'];
  process.env['PATH'] = empty;
  try {
    const failure = await startDynamoDbLocal('memory').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(JavaMissingError);
    expect((failure as Error).message).toMatch(/needs Java 17 or newer, and `java` is not on the PATH/);
  } finally {
    process.env['PATH'] = path;
    rmSync(empty, { recursive: true, force: true });
  }
});
