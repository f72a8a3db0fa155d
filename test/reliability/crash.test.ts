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
 * one process group) while the morning mail carrying 1,000 reminders is going out, then a restart
 * on the same data: every reminder reaches its official exactly once. The reminders of
 * `sss-decision` are not urgent: their Tasks queue them at 09:00 and the 09:30 morning run sends
 * them in one mail; the runtime dies once that mail is with SES, while the run marks the notices
 * it carried. The provider is the test's own local SES, which outlives the crash as AWS's SES
 * outlives a Lambda's.
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
  readonly body?: { readonly text?: string };
}

describe('crash: kill -9 while the morning mail of 1,000 reminders goes out', () => {
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

  test('every reminder due is carried by the morning mail exactly once: none lost, none twice', { timeout: 1_500_000 }, async () => {
    const endpoint = ses?.endpoint ?? '';
    host = startHost([dataDir, endpoint, START, '--morning']);
    const { apiUrl } = await host.next('ready');
    const token = await localTokens(await loadOrCreateKeys(join(dataDir, 'keys'))).sign(PEOPLE.sss);

    let reminderAt = Number.NaN;
    const ids: string[] = [];
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
        const body = (await response.json()) as { obligations: { id: string; plan: { milestones: { id: string; at: string }[] } }[] };
        expect(response.status).toBe(201);
        ids.push(body.obligations[0]?.id ?? '');
        reminderAt = Date.parse(body.obligations[0]?.plan.milestones.find((milestone) => milestone.id === 'reminder-1')?.at ?? '');
      }
    };
    await Promise.all(Array.from({ length: 32 }, opener));
    expect(await mailbox()).toEqual([]);

    // The reminders fall due together and are queued, not mailed.
    host.send(`advance ${reminderAt}`);
    await host.next('advanced');
    expect(await mailbox()).toEqual([]);

    // The morning mail of that working day (the reminder is at 09:00, the run at 09:30); the
    // runtime dies once SES holds it.
    const morningAt = reminderAt + 30 * 60_000;
    host.send(`advance ${morningAt}`);
    for (let sent = 0; sent < 1; sent = (await mailbox()).length) await new Promise((resolve) => setTimeout(resolve, 20));
    await killGroup(host);
    const deliveredBeforeCrash = (await mailbox()).length;

    // The same data. EventBridge Scheduler's invocation of the morning run died with it, and
    // Lambda tries an asynchronous invocation again with the same event: the restarted clock
    // stands just before 09:30, so that the same morning's run fires again. Then past the time a
    // notice stays in doubt and the reconciler's next hourly run.
    const restartedAt = Date.now();
    host = startHost([dataDir, endpoint, new Date(morningAt - 1).toISOString(), '--no-synth', '--reconcile', '--morning']);
    const { apiUrl: apiUrl2 } = await host.next('ready');
    host.send(`advance ${morningAt + 70 * 60_000}`);
    await host.next('advanced');
    const recoveryS = (Date.now() - restartedAt) / 1000;

    // Each case in exactly one mail: the official's morning mail, sent once.
    const perCase = new Map<string, number>();
    const mails = await mailbox();
    for (const mail of mails) {
      expect(mail.destination.to).toEqual(['sss.uralsk@akimat.demo.kz']);
      for (const ref of new Set(`${mail.subject}\n${mail.body?.text ?? ''}`.match(/CRASH-\d{4}/g) ?? [])) perCase.set(ref, (perCase.get(ref) ?? 0) + 1);
    }
    expect(mails).toHaveLength(1);
    const lost = refs.filter((ref) => !perCase.has(ref)).length;
    const duplicated = [...perCase.values()].reduce((sum, count) => sum + count - 1, 0);
    // And the store says so: each reminder sent, none left in the queue for a later morning.
    const unsent: string[] = [];
    let index = 0;
    const reader = async (): Promise<void> => {
      while (index < ids.length) {
        const id = ids[index++] ?? '';
        const response = await fetch(`${String(apiUrl2)}/obligations/${id}`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await response.json()) as { notices: { milestone: string; status: string }[] };
        const reminder = body.notices.filter((notice) => notice.milestone === 'reminder-1');
        if (reminder.length !== 1 || reminder[0]?.status !== 'sent') unsent.push(`${id}: ${JSON.stringify(reminder)}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, reader));
    recordFigures('crash (kill -9)', {
      'obligations pending': OBLIGATIONS,
      'morning mails with SES before the kill': deliveredBeforeCrash,
      'morning mails sent after the restart': { value: mails.length - deliveredBeforeCrash, expected: '0' },
      'reminders not marked sent': { value: unsent.length, expected: '0' },
      'restart to all delivered (s)': Math.round(recoveryS),
      lost: { value: lost, expected: '0' },
      duplicated: { value: duplicated, expected: '0' },
    });
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(unsent).toEqual([]);
  });
});
