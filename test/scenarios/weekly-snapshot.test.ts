import { describe, expect, it } from 'vitest';
import { scenario } from './harness.ts';

type Trend = { weeks: string[]; units: { org: string; weeks: Record<string, Record<string, { open: number; overdue: number }>> }[] };

/**
 * The weekly snapshot as deployed: its schedule (Monday 00:30, Asia/Almaty) read from the
 * synthesized template and fired by the embedded runtime on the virtual clock; the heads' trend
 * reads what it kept.
 */
describe('the weekly snapshot and the trend', () => {
  const run = scenario('2026-04-15T10:30:00+05:00', { schedules: ['snapshot'] });

  it('a decision due on Monday 20 April is open in the week to the 19th and overdue in the week to the 26th', async () => {
    const opened = await run().open('sss', { rule: 'sss-decision', caseRef: 'SSS-2026/77', org: 'zko-uralsk-akimat-sss', start: '2026-04-15T10:00:00+05:00' });
    expect(opened[0]?.plan.dueDate).toBe('2026-04-20');
    await run().at('2026-04-27T10:00:00+05:00');
    const answer = await run().api<Trend>('sssHead', 'GET', '/reports/trend?org=zko-uralsk-akimat-sss&weeks=3');
    expect(answer.status).toBe(200);
    expect(answer.body.weeks).toEqual(['2026-04-12', '2026-04-19', '2026-04-26']);
    // The week to 12 April ended before the clock started: no snapshot was taken of it.
    expect(answer.body.units[0]?.weeks).toEqual({
      '2026-04-19': { 'sss-decision': { open: 1, overdue: 0 } },
      '2026-04-26': { 'sss-decision': { open: 0, overdue: 1 } },
    });
  });
});
