import { describe, expect, test } from 'vitest';
import { RATE_LIMITS_ENV } from '../../functions/api/limits.ts';
import { recordFigures } from '../support/figures.ts';
import { scenario } from '../scenarios/harness.ts';

/**
 * An act recorded at the very instant an escalation fires, 200 times over (200 obligations whose
 * first escalation falls at one instant, each decided at that instant while the escalations run):
 * either the act goes first and nobody is escalated, or the escalation goes first and the audit
 * trail shows it before the act. The escalation of `sss-decision` is not urgent: its Task queues
 * it for the 09:30 morning mail, and a queued escalation whose obligation was decided before the
 * morning is withdrawn, never sent. So no escalation is ever sent after the act.
 */
const TRIALS = 200;
// One department opens the 200 cases: past the per-person limit on openings, which is not what this tries.
process.env[RATE_LIMITS_ENV] = 'off';
const START = '2026-03-19T15:20:00+05:00';

describe('races: an act at the instant an escalation fires', () => {
  const run = scenario(START, { schedules: ['digest'] });

  test(`${TRIALS} trials: no escalation after the act; the audit trail shows the order`, { timeout: 600_000 }, async () => {
    const refs = Array.from({ length: TRIALS }, (_, i) => `RACE-${String(i).padStart(3, '0')}`);
    const ids = new Map<string, string>();
    let escalationAt = '';
    for (let next = 0; next < refs.length; ) {
      const batch = refs.slice(next, (next += 25));
      for (const [obligation] of await Promise.all(batch.map((caseRef) => run().open('sss', { rule: 'sss-decision', caseRef, org: 'zko-uralsk-akimat-sss', start: START })))) {
        if (obligation === undefined) throw new Error('nothing opened');
        ids.set(obligation.caseRef, obligation.id);
        escalationAt = obligation.plan.milestones.find((milestone) => milestone.id.startsWith('escalation'))?.at ?? '';
      }
    }
    const instant = Date.parse(escalationAt);
    await run().at(new Date(instant - 60_000).toISOString());
    await run().newMail();

    // The clock reaches the instant, and while the escalations run, every case is decided: each
    // act a little later than the one before (spread over the time the 200 escalations take, in
    // an order unlike theirs), so that some acts land before their escalation and some after.
    const { clock } = run();
    const advancing = clock.advanceTo(instant);
    while (clock.now() < instant) await new Promise((resolve) => setImmediate(resolve));
    const acts = await Promise.all(
      [...ids.values()].map(async (id, i) => {
        await new Promise((resolve) => setTimeout(resolve, ((i * 7_919) % TRIALS) * 10));
        return run().api('sss', 'POST', `/obligations/${id}/events`, { act: 'decided' });
      }),
    );
    await advancing;
    await clock.settle();
    expect(acts.map((answer) => answer.status)).toEqual(acts.map(() => 200));

    // The morning mail of that day: the head would have been told there.
    await run().at(new Date(instant + 30 * 60_000 + 60_000).toISOString());
    const escalated = new Map<string, number>();
    for (const mail of await run().newMail()) {
      for (const ref of new Set(`${mail.subject}\n${mail.text}`.match(/RACE-\d{3}/g) ?? [])) escalated.set(ref, (escalated.get(ref) ?? 0) + 1);
    }
    let escalationFirst = 0;
    let actFirst = 0;
    let sentAfterAct = 0;
    let trailWrong = 0;
    let untold = 0;
    let withdrawn = 0;
    for (const [ref, id] of ids) {
      const answer = await run().api<{ events: { type: string; at: string }[]; notices: { milestone: string; status: string; withdrawnBecause?: string }[] }>('admin', 'GET', `/obligations/${id}`);
      const { events } = answer.body;
      const notices = answer.body.notices.filter((notice) => notice.milestone.startsWith('escalation'));
      const types = events.map((event) => event.type);
      const act = events.find((event) => event.type === 'decided');
      const escalation = events.find((event) => event.type === 'escalated' && Date.parse(event.at) === instant);
      expect(act?.at, ref).toBeDefined();
      if (escalation === undefined) {
        actFirst += 1;
        // Decided first: nobody may be escalated, nor anything queued.
        if (escalated.has(ref) || notices.length > 0) sentAfterAct += 1;
      } else {
        escalationFirst += 1;
        // Escalated first: the trail says so before the act; the escalation was queued for the
        // morning and, the case decided by then, withdrawn: not sent, and the notice says why.
        if (types.indexOf('escalated') > types.indexOf('decided')) trailWrong += 1;
        if (escalated.has(ref)) sentAfterAct += 1;
        if (notices.length === 0 || !notices.every((notice) => notice.status === 'withdrawn' && notice.withdrawnBecause === 'closed')) untold += 1;
        else withdrawn += 1;
      }
    }
    recordFigures('races (act vs escalation, same instant)', {
      trials: TRIALS,
      'act first (no escalation)': actFirst,
      'escalation first (then the act)': escalationFirst,
      'escalations sent (or queued) after the act': { value: sentAfterAct, expected: '0' },
      'audit trails out of order': { value: trailWrong, expected: '0' },
      'escalations queued, then withdrawn at the morning (decided)': withdrawn,
      'escalations recorded but neither queued nor withdrawn': { value: untold, expected: '0' },
    });
    expect(actFirst + escalationFirst).toBe(TRIALS);
    expect(sentAfterAct).toBe(0);
    expect(trailWrong).toBe(0);
    expect(untold).toBe(0);
    // Both orders happened: the test raced, it did not run one side before the other.
    expect(actFirst).toBeGreaterThan(0);
    expect(escalationFirst).toBeGreaterThan(0);
  });
});
