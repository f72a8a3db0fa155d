import { describe, expect, it } from 'vitest';
import { snapshotTrend, sundayOf, weekEnds } from '../../web/src/trend.ts';

/** The heads' trend: the weeks ended as the snapshots kept them, now from the overdue lists. */
describe('snapshotTrend', () => {
  const at = (iso: string) => Date.parse(iso);
  const instants = [at('2026-03-30T00:00:00+05:00'), at('2026-04-06T00:00:00+05:00'), at('2026-04-13T00:00:00+05:00'), at('2026-04-13T09:30:00+05:00')];
  // Two roots' answers; no snapshot was kept of the week to 29 March (the system was not running).
  const answers = [
    {
      weeks: ['2026-03-29', '2026-04-05', '2026-04-12'],
      units: [
        { org: 'a', weeks: { '2026-04-05': { 'sss-decision': { open: 3, overdue: 2 } }, '2026-04-12': { 'sss-decision': { open: 1, overdue: 1 }, 'offender-check': { open: 0, overdue: 2 } } } },
        { org: 'b', weeks: { '2026-04-05': {}, '2026-04-12': { 'offender-check': { open: 4, overdue: 0 } } } },
      ],
    },
    { weeks: ['2026-03-29', '2026-04-05', '2026-04-12'], units: [{ org: 'c', weeks: {} }] },
  ];
  const overdueNow = [
    { org: 'a', status: 'overdue' as const },
    { org: 'b', status: 'overdue' as const },
    { org: 'b', status: 'suspended' as const },
    { org: 'outside', status: 'overdue' as const },
  ];

  it('sums each week’s overdue over the rules per unit; a week with no snapshot is unknown, not nought; now is live', () => {
    const trend = snapshotTrend(['a', 'b', 'c'], instants, answers, overdueNow);
    expect(trend.byOrg.get('a')).toEqual([null, 2, 3, 1]);
    expect(trend.byOrg.get('b')).toEqual([null, 0, 0, 1]);
    expect(trend.byOrg.get('c')).toEqual([null, null, null, 0]);
    // The total over the units whose week was kept; a paused obligation and a unit outside are not counted now.
    expect(trend.total).toEqual([null, 2, 3, 2]);
  });

  it('names each week by its Sunday, as the snapshots do', () => {
    expect(sundayOf(at('2026-04-13T00:00:00+05:00'))).toBe('2026-04-12');
    expect(sundayOf(at('2026-04-12T19:00:00Z'))).toBe('2026-04-12');
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
