import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RATE_LIMITS_ENV } from '../../functions/api/limits.ts';
import type { RunningService } from '../../local/dynamodb.ts';
import { startSesLocal } from '../../local/ses.ts';
import { PEOPLE } from '../../local/system/client.ts';
import { defaultDataDir } from '../../local/system/index.ts';
import { loadOrCreateKeys, localTokens } from '../../local/system/tokens.ts';
import { recordFigures } from '../support/figures.ts';

/**
 * kill -9 of the embedded runtime (the application, DynamoDB Local, the Step Functions service:
 * one process group) while 1,000 reminders are going out, then a restart on the same data: every
 * reminder reaches the mail provider exactly once. The provider is the test's own local SES,
 * which outlives the crash as AWS's SES outlives a Lambda's.
 */
const OBLIGATIONS = 1_000;
const START = '2026-03-02T10:00:00+05:00';
const HOST = join(import.meta.dirname, 'crash-host.ts');

interface Host {
  readonly child: ChildProcessWithoutNullStreams;
  next<K extends string>(key: K): Promise<Record<K, unknown> & Record<string, unknown>>;
  send(line: string): void;
}

function startHost(args: readonly string[]): Host {
  // Its own process group, so that one SIGKILL takes the runtime and everything it started.
  // The test opens 1,000 obligations with one token: the per-user limits are off in the host.
  const child = spawn(process.execPath, ['--import', 'tsx', HOST, ...args], { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, [RATE_LIMITS_ENV]: 'off' } });
  const waiting: { key: string; resolve: (message: Record<string, unknown>) => void }[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const index = waiting.findIndex((entry) => entry.key in message);
    if (index >= 0) waiting.splice(index, 1)[0]?.resolve(message);
  });
  return {
    child,
    next: <K extends string>(key: K) =>
      new Promise<Record<K, unknown> & Record<string, unknown>>((resolve, reject) => {
        waiting.push({ key, resolve: resolve as (message: Record<string, unknown>) => void });
        child.once('exit', (code, signal) => reject(new Error(`the host exited (${signal ?? code}) before saying ${key}: ${stderr}`)));
      }),
    send: (line) => child.stdin.write(`${line}\n`),
  };
}

async function killGroup(host: Host): Promise<void> {
  if (host.child.exitCode !== null || host.child.signalCode !== null) return;
  const exited = new Promise((resolve) => host.child.once('exit', resolve));
  process.kill(-(host.child.pid ?? 0), 'SIGKILL');
  await exited;
}

interface StoredMail {
  readonly subject: string;
  readonly destination: { readonly to: readonly string[] };
}

describe('crash: kill -9 with 1,000 obligations pending and reminders in flight', () => {
  let ses: RunningService | undefined;
  let host: Host | undefined;
  // Inside the working tree: the functions' bundles find the AWS SDK in its node_modules, as Lambda's runtime provides it.
  mkdirSync(defaultDataDir, { recursive: true });
  const dataDir = mkdtempSync(join(defaultDataDir, 'crash-'));
  const mailbox = async (): Promise<StoredMail[]> => ((await (await fetch(`${ses?.endpoint ?? ''}/store`)).json()) as { emails: StoredMail[] }).emails;

  beforeAll(async () => {
    ses = await startSesLocal();
  }, 60_000);
  afterAll(async () => {
    if (host !== undefined) await killGroup(host);
    await ses?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  test('every reminder due is delivered exactly once: none lost, none twice', { timeout: 900_000 }, async () => {
    const endpoint = ses?.endpoint ?? '';
    host = startHost([dataDir, endpoint, START]);
    const { apiUrl } = await host.next('ready');
    const token = await localTokens(await loadOrCreateKeys(join(dataDir, 'keys'))).sign(PEOPLE.sss);

    let reminderAt = Number.NaN;
    const refs = Array.from({ length: OBLIGATIONS }, (_, i) => `CRASH-${String(i).padStart(4, '0')}`);
    let next = 0;
    const opener = async (): Promise<void> => {
      while (next < refs.length) {
        const caseRef = refs[next++] ?? '';
        const response = await fetch(`${String(apiUrl)}/obligations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ rule: 'sss-decision', caseRef, org: 'zko-uralsk-akimat-sss', start: START }),
        });
        const body = (await response.json()) as { obligations: { plan: { milestones: { id: string; at: string }[] } }[] };
        expect(response.status).toBe(201);
        reminderAt = Date.parse(body.obligations[0]?.plan.milestones.find((milestone) => milestone.id === 'reminder-1')?.at ?? '');
      }
    };
    await Promise.all(Array.from({ length: 32 }, opener));
    expect(await mailbox()).toEqual([]);

    // The reminders fall due together; the runtime dies while they go out.
    host.send(`advance ${reminderAt}`);
    const killAt = OBLIGATIONS / 4;
    for (let sent = 0; sent < killAt; sent = (await mailbox()).length) await new Promise((resolve) => setTimeout(resolve, 20));
    await killGroup(host);
    const deliveredBeforeCrash = (await mailbox()).length;
    expect(deliveredBeforeCrash).toBeLessThan(OBLIGATIONS);

    // The same data, the clock where it stopped; then past the time a notice stays in doubt and the
    // reconciler's next hourly run.
    const restartedAt = Date.now();
    host = startHost([dataDir, endpoint, new Date(reminderAt).toISOString(), '--no-synth', '--reconcile']);
    await host.next('ready');
    host.send(`advance ${reminderAt + 70 * 60_000}`);
    await host.next('advanced');
    const recoveryS = (Date.now() - restartedAt) / 1000;

    const perCase = new Map<string, number>();
    for (const mail of await mailbox()) {
      const ref = /CRASH-\d{4}/.exec(mail.subject)?.[0];
      expect(ref, mail.subject).toBeDefined();
      expect(mail.destination.to).toEqual(['sss.uralsk@akimat.demo.kz']);
      perCase.set(ref ?? '', (perCase.get(ref ?? '') ?? 0) + 1);
    }
    const lost = refs.filter((ref) => !perCase.has(ref)).length;
    const duplicated = [...perCase.values()].reduce((sum, count) => sum + count - 1, 0);
    recordFigures('crash (kill -9)', {
      'obligations pending': OBLIGATIONS,
      'reminders delivered before the kill': deliveredBeforeCrash,
      'delivered after the restart': (await mailbox()).length - deliveredBeforeCrash,
      'restart to all delivered (s)': Math.round(recoveryS),
      lost: { value: lost, expected: '0' },
      duplicated: { value: duplicated, expected: '0' },
    });
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
  });
});
