import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { VirtualClock } from '../../local/clock.ts';
import { SystemClient } from '../../local/system/client.ts';
import { type LocalSystem, startLocalSystem } from '../../local/system/index.ts';
import { recordFigures } from '../support/figures.ts';

/**
 * SES down and DynamoDB throttling while reminders fall due: the steps retry with backoff, the
 * notices SES would not take wait in the dead-letter list (GET /notices/failed), and once the
 * faults end the reconciler's next run delivers each of them, once.
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
    system = await startLocalSystem({ clock, schedules: ['reconcile'], provision: false, faults: true, log: () => {}, functionLogLevel: 'ERROR' });
    client = new SystemClient(system, clock);
  }, 240_000);
  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  test('nothing is lost: retried, listed as failed while SES is down, delivered once when it is back', { timeout: 300_000 }, async () => {
    const faults = system?.faults;
    if (faults === undefined) throw new Error('the system runs without fault proxies');
    const refs = Array.from({ length: CASES }, (_, i) => `FAULT-${String(i).padStart(2, '0')}`);
    const opened = await Promise.all(refs.map((caseRef) => run().open('sss', { rule: 'sss-decision', caseRef, org: 'zko-uralsk-akimat-sss', start: START })));
    const ids = new Set(opened.map(([obligation]) => obligation?.id ?? ''));
    const reminderAt = opened[0]?.[0]?.plan.milestones.find((milestone) => milestone.id === 'reminder-1')?.at ?? '';

    // Up to a minute before: the hourly reconciler's runs on the way need no faults to slow them.
    await run().at(new Date(Date.parse(reminderAt) - 60_000).toISOString());
    faults.ses.fail('ses-unavailable');
    faults.dynamodb.fail('dynamodb-throttling', 0.3);
    await run().at(reminderAt);
    // The retries wait their backoff on the clock: at the reminder's instant no notice has had
    // the seven attempts it gets in all.
    const early = await run().api<{ notices: FailedNotice[] }>('admin', 'GET', '/notices/failed');
    expect(early.body.notices.length).toBeGreaterThan(0);
    expect(early.body.notices.every((notice) => notice.attempts < 7)).toBe(true);
    // Through the whole retry budget, with both faults on.
    await run().at(new Date(Date.parse(reminderAt) + RETRY_BUDGET_MS).toISOString());
    faults.dynamodb.heal();
    const throttled = faults.dynamodb.counts.failed;
    const refusedBySes = faults.ses.counts.failed;
    expect(throttled).toBeGreaterThan(0);
    expect(await run().allMail()).toEqual([]);

    // The dead-letter list: every reminder, with why and after how many attempts.
    const listed = await run().api<{ notices: FailedNotice[] }>('admin', 'GET', '/notices/failed');
    expect(listed.status).toBe(200);
    expect(new Set(listed.body.notices.map((notice) => notice.obligationId))).toEqual(ids);
    for (const notice of listed.body.notices) {
      expect(notice.recipient).toBe('aliya.sss');
      expect(notice.lastError).toMatch(/HTTP 503/);
      // The step was retried: each attempt claimed the notice again.
      expect(notice.attempts).toBeGreaterThan(1);
    }
    // Only the administrator sees the list.
    expect((await run().api('sss', 'GET', '/notices/failed')).status).toBe(403);

    // SES is back; the reconciler's next hourly run after the timers gave up restarts them.
    faults.ses.heal();
    await run().at(new Date(Date.parse(reminderAt) + RETRY_BUDGET_MS + 65 * MINUTE).toISOString());
    const mail = await run().allMail();
    const perCase = new Map<string, number>();
    for (const item of mail) {
      const ref = /FAULT-\d{2}/.exec(item.subject)?.[0] ?? item.subject;
      perCase.set(ref, (perCase.get(ref) ?? 0) + 1);
    }
    const lost = refs.filter((ref) => !perCase.has(ref)).length;
    const duplicated = [...perCase.values()].reduce((sum, count) => sum + count - 1, 0);
    const stillFailed = (await run().api<{ notices: FailedNotice[] }>('admin', 'GET', '/notices/failed')).body.notices.length;
    recordFigures('faults (SES down, DynamoDB throttled)', {
      reminders: CASES,
      'DynamoDB requests throttled': throttled,
      'SES requests refused': refusedBySes,
      'attempts per notice while SES was down (min)': Math.min(...listed.body.notices.map((notice) => notice.attempts)),
      'in the dead-letter list during the fault': listed.body.notices.length,
      'in the dead-letter list after': { value: stillFailed, expected: '0' },
      lost: { value: lost, expected: '0' },
      duplicated: { value: duplicated, expected: '0' },
    });
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(stillFailed).toBe(0);
    expect(mail.every((item) => item.to.join() === 'sss.uralsk@akimat.demo.kz')).toBe(true);
    for (const id of ids) {
      const { events } = await run().obligation(id);
      // The reminder is written once, whatever the retries and the restart did.
      expect(events.filter((event) => event.type === 'reminded')).toHaveLength(1);
    }
  });
});
