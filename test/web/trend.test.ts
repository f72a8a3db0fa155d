import { describe, expect, it } from 'vitest';
import { overdueAt, overdueTrend, weekEnds } from '../../web/src/trend.ts';

/** The heads' trend, counted from the obligations' own instants (RFC 3339 at +05:00). */
describe('overdueTrend', () => {
  const at = (iso: string) => Date.parse(iso);
  const obligations = [
    // Due 3 April, still open: overdue from then on.
    { org: 'a', start: '2026-03-27T09:00:00+05:00', dueAt: '2026-04-03T18:30:00+05:00' },
    // Due 3 April, closed 8 April: overdue only in between.
    { org: 'a', start: '2026-03-27T09:00:00+05:00', dueAt: '2026-04-03T18:30:00+05:00', closedAt: '2026-04-08T11:00:00+05:00' },
    // Closed on time: never overdue.
    { org: 'b', start: '2026-03-30T09:00:00+05:00', dueAt: '2026-04-10T18:30:00+05:00', closedAt: '2026-04-09T10:00:00+05:00' },
    // Due 11 April, still open.
    { org: 'b', start: '2026-04-01T09:00:00+05:00', dueAt: '2026-04-11T00:00:00+05:00' },
    // A start in the future (a cycle opened ahead): not overdue before it starts, whatever its due date says.
    { org: 'b', start: '2026-04-12T00:00:00+05:00', dueAt: '2026-04-01T00:00:00+05:00' },
  ];

  it('counts, per instant, what had started, was past due and not yet closed; in total and per unit', () => {
    const instants = [at('2026-03-30T00:00:00+05:00'), at('2026-04-06T00:00:00+05:00'), at('2026-04-13T00:00:00+05:00'), at('2026-04-13T09:30:00+05:00')];
    const trend = overdueTrend(obligations, instants);
    expect(trend.total).toEqual([0, 2, 3, 3]);
    expect(trend.byOrg.get('a')).toEqual([0, 2, 1, 1]);
    expect(trend.byOrg.get('b')).toEqual([0, 0, 2, 2]);
    expect(overdueTrend([], instants)).toEqual({ total: [0, 0, 0, 0], byOrg: new Map() });
  });

  it('is not overdue at the due instant itself, and is no longer overdue at the closing instant', () => {
    const one = { org: 'a', start: '2026-04-01T09:00:00+05:00', dueAt: '2026-04-03T18:30:00+05:00', closedAt: '2026-04-05T10:00:00+05:00' };
    expect(overdueAt(one, at('2026-04-03T18:30:00+05:00'))).toBe(false);
    expect(overdueAt(one, at('2026-04-03T18:30:01+05:00'))).toBe(true);
    expect(overdueAt(one, at('2026-04-05T10:00:00+05:00'))).toBe(false);
    // The same instant written in UTC.
    expect(overdueAt(one, at('2026-04-04T13:00:00Z'))).toBe(true);
  });

  it('the week ends are the last 8 Mondays 00:00 at +05:00 before now, then now', () => {
    const now = at('2026-04-13T09:30:00+05:00');
    const ends = weekEnds(now);
    expect(ends).toHaveLength(9);
    expect(ends.at(-1)).toBe(now);
    expect(ends.at(-2)).toBe(at('2026-04-13T00:00:00+05:00'));
    expect(ends[0]).toBe(at('2026-02-23T00:00:00+05:00'));
    // Monday 04:00 at +05:00 is still Sunday in UTC: the week is Kazakhstan's.
    expect(weekEnds(at('2026-04-13T04:00:00+05:00')).at(-2)).toBe(at('2026-04-13T00:00:00+05:00'));
    // At Monday 00:00 itself, that week end is now: the one before is the last whole week.
    expect(weekEnds(at('2026-04-13T00:00:00+05:00'), 2)).toEqual([at('2026-03-30T00:00:00+05:00'), at('2026-04-06T00:00:00+05:00'), at('2026-04-13T00:00:00+05:00')]);
  });
});
