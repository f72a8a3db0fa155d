import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { VirtualClock } from '../../local/clock.ts';
import { SystemClient } from '../../local/system/client.ts';
import { type LocalSystem, startLocalSystem } from '../../local/system/index.ts';
import { recordFigures } from '../support/figures.ts';

/**
 * SES down and DynamoDB throttling while reminders fall due and their morning mail goes out: the
 * milestone Tasks retry with backoff through the throttling and queue each reminder once (the
 * reminders of `sss-decision` are not urgent); the 09:30 morning mail SES would not take waits in
 * the dead-letter list (GET /notices/failed), and once SES is back the reconciler's next hourly
 * run sends it, carrying each reminder once.
 * The faults are injected by proxies between the functions and the services (local/faults.ts).
 * The retries' backoff passes on the virtual clock, as on AWS: TASK_RETRY's 20 s doubling to
 * 5 min, full jitter, 6 retries, is at most 15 minutes.
 */
const START = '2026-03-02T10:00:00+05:00';
const CASES = 20;
const MINUTE = 60_000;
/** The longest TASK_RETRY can back off in all: 20 + 40 + 80 + 160 + 300 + 300 s. */
const RETRY_BUDGET_MS = 15 * MINUTE;

interface FailedNotice {
  readonly obligationId: string;
  readonly milestone: string;
  readonly recipient: string;
  readonly attempts: number;
  readonly lastError: string;
}

describe('faults: SES failing and DynamoDB throttling', () => {
  let client: SystemClient | undefined;
  let system: LocalSystem<VirtualClock> | undefined;
  const run = (): SystemClient => {
    if (client === undefined) throw new Error('the system has not started');
    return client;
  };

  beforeAll(async () => {
    const clock = new VirtualClock(START);
    system = await startLocalSystem({ clock, schedules: ['reconcile', 'digest'], provision: false, faults: true, log: () => {}, functionLogLevel: 'ERROR' });
    client = new SystemClient(system, clock);
    // Bundling the functions and starting DynamoDB Local: minutes on a busy machine (as test/scenarios/harness.ts allows).
  }, 600_000);
  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  test('nothing is lost: queued through the throttling, the morning mail listed as failed while SES is down, sent once when it is back', { timeout: 300_000 }, async () => {
    const faults = system?.faults;
    if (faults === undefined) throw new Error('the system runs without fault proxies');
    const refs = Array.from({ length: CASES }, (_, i) => `FAULT-${String(i).padStart(2, '0')}`);
    const opened = await Promise.all(refs.map((caseRef) => run().open('sss', { rule: 'sss-decision', caseRef, org: 'zko-uralsk-akimat-sss', start: START })));
    const ids = new Set(opened.map(([obligation]) => obligation?.id ?? ''));
    const reminderAt = opened[0]?.[0]?.plan.milestones.find((milestone) => milestone.id === 'reminder-1')?.at ?? '';

    const morningAt = Date.parse(reminderAt) + 30 * MINUTE;
    const at = (instant: number) => run().at(new Date(instant).toISOString());

    // Up to a minute before: the hourly reconciler's runs on the way need no faults to slow them.
    await at(Date.parse(reminderAt) - MINUTE);
    faults.ses.fail('ses-unavailable');
    faults.dynamodb.fail('dynamodb-throttling', 0.3);
    // Through the whole retry budget of the reminders' Tasks, with both faults on: each reminder is
    // queued for the morning mail, once, whatever the retries did.
    await at(Date.parse(reminderAt) + RETRY_BUDGET_MS);
    faults.dynamodb.heal();
    const throttled = faults.dynamodb.counts.failed;
    expect(throttled).toBeGreaterThan(0);
    expect(await run().allMail()).toEqual([]);
    for (const id of ids) {
      const answer = await run().api<{ notices: { milestone: string; status: string }[] }>('admin', 'GET', `/obligations/${id}`);
      expect(answer.body.notices.filter((notice) => notice.milestone === 'reminder-1').map((notice) => notice.status)).toEqual(['queued']);
    }

    // 09:30: the morning mail, SES still down. The dead-letter list holds it, with why.
    await at(morningAt + MINUTE);
    const listed = await run().api<{ notices: FailedNotice[] }>('admin', 'GET', '/notices/failed');
    expect(listed.status).toBe(200);
    expect(listed.body.notices).toEqual([expect.objectContaining({ milestone: 'digest', recipient: 'aliya.sss', attempts: 1 })]);
    expect(listed.body.notices[0]?.lastError).toMatch(/HTTP 503/);
    // Only the administrator sees the list.
    expect((await run().api('sss', 'GET', '/notices/failed')).status).toBe(403);
    // The reconciler's next hourly run tries it again; SES is still down: listed, one attempt more.
    await at(morningAt + 45 * MINUTE);
    const again = await run().api<{ notices: FailedNotice[] }>('admin', 'GET', '/notices/failed');
    expect(again.body.notices).toEqual([expect.objectContaining({ milestone: 'digest', recipient: 'aliya.sss', attempts: 2 })]);
    expect(await run().allMail()).toEqual([]);
    const refusedBySes = faults.ses.counts.failed;

    // SES is back; the reconciler's next hourly run sends the morning mail.
    faults.ses.heal();
    await at(morningAt + 105 * MINUTE);
    const mail = await run().allMail();
    const perCase = new Map<string, number>();
    for (const item of mail) {
      for (const ref of new Set(`${item.subject}\n${item.text}`.match(/FAULT-\d{2}/g) ?? [])) perCase.set(ref, (perCase.get(ref) ?? 0) + 1);
    }
    const lost = refs.filter((ref) => !perCase.has(ref)).length;
    const duplicated = [...perCase.values()].reduce((sum, count) => sum + count - 1, 0);
    const stillFailed = (await run().api<{ notices: FailedNotice[] }>('admin', 'GET', '/notices/failed')).body.notices.length;
    recordFigures('faults (SES down, DynamoDB throttled)', {
      reminders: CASES,
      'DynamoDB requests throttled': throttled,
      'SES requests refused': refusedBySes,
      'morning mails sent': mail.length,
      'in the dead-letter list during the fault': listed.body.notices.length,
      'in the dead-letter list after': { value: stillFailed, expected: '0' },
      lost: { value: lost, expected: '0' },
      duplicated: { value: duplicated, expected: '0' },
    });
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(stillFailed).toBe(0);
    // One mail: the official's morning mail with her twenty reminders.
    expect(mail.map((item) => item.to.join())).toEqual(['sss.uralsk@akimat.demo.kz']);
    for (const id of ids) {
      const answer = await run().api<{ events: { type: string }[]; notices: { milestone: string; status: string }[] }>('admin', 'GET', `/obligations/${id}`);
      // The reminder is written once, whatever the retries did, and sent.
      expect(answer.body.events.filter((event) => event.type === 'reminded')).toHaveLength(1);
      expect(answer.body.notices.filter((notice) => notice.milestone === 'reminder-1').map((notice) => notice.status)).toEqual(['sent']);
    }
  });
});
