import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../shared/base/index.ts';
import type { Obligation, ObligationEvent } from '../../shared/model/index.ts';
import { COMPLIANCE, EMPTY_TALLY, figuresFrom, figuresOf, lastDayOf, quarterOf, tallyOf, tallyWith } from '../../shared/reports/index.ts';
import { catalog } from '../../shared/rules/index.ts';

const at = (text: string) => parseInstant(text);
const Q3 = quarterOf('2026-Q3');

/** An audit trail as the store keeps it: type, when, the cycle it belongs to, and the due instant a plan set. */
function trail(entries: readonly [type: string, when: string, cycle: number, dueAt?: string][]): ObligationEvent[] {
  return entries.map(([type, when, cycle, dueAt], seq) => ({
    obligationId: 'o-test',
    seq,
    type: type as ObligationEvent['type'],
    at: at(when),
    recordedAt: at(when),
    by: 'someone',
    revision: 1,
    cycle,
    ...(dueAt === undefined ? {} : { details: { dueAt: new Date(at(dueAt)).toISOString() } }),
  }));
}

const obligation = (rule: string, cycle: number, dueAt: string) => ({ rule, cycle, dueAt: at(dueAt) }) as Obligation;

describe('the compliance table', () => {
  it('has a line for every rule of the catalog, each with its reason', () => {
    expect(Object.keys(COMPLIANCE).sort()).toEqual(catalog.map((rule) => rule.id).sort());
    for (const line of Object.values(COMPLIANCE)) expect(line.why.length).toBeGreaterThan(0);
  });

  it('a quarter runs from its first day to its last in Kazakhstan; 24:00 of 30 September belongs to it', () => {
    expect(Q3).toMatchObject({ from: '2026-07-01', to: '2026-09-30', startsAt: at('2026-07-01T00:00+05:00'), endsAt: at('2026-10-01T00:00+05:00') });
    expect(lastDayOf(at('2026-10-01T00:00+05:00'))).toBe('2026-09-30');
    expect(lastDayOf(at('2026-09-29T18:30+05:00'))).toBe('2026-09-29');
  });
});

describe('figures of one obligation in a quarter', () => {
  const asOf = at('2026-10-02T10:00+05:00');

  it('a reply by the last day is on time, after it late, none at all missing', () => {
    const due = '2026-08-18T00:00+05:00';
    const opened: [string, string, number, string] = ['opened', '2026-07-15T09:00+05:00', 1, due];
    expect(figuresOf(obligation('submission-reply', 1, due), trail([opened, ['replied', '2026-08-17T23:59+05:00', 1]]), Q3, asOf)).toEqual({ due: 1, onTime: 1 });
    expect(figuresOf(obligation('submission-reply', 1, due), trail([opened, ['replied', '2026-08-18T09:00+05:00', 1]]), Q3, asOf)).toEqual({ due: 1, late: 1 });
    expect(figuresOf(obligation('submission-reply', 1, due), trail([opened, ['marked-overdue', due, 1]]), Q3, asOf)).toEqual({ due: 1, missing: 1 });
    // Seen before its last day: not yet due.
    expect(figuresOf(obligation('submission-reply', 1, due), trail([opened]), Q3, at('2026-08-01T10:00+05:00'))).toEqual({ due: 1, pending: 1 });
    // Cancelled before it fell due: nothing owed.
    expect(figuresOf(obligation('submission-reply', 1, due), trail([opened, ['cancelled', '2026-07-20T10:00+05:00', 1]]), Q3, asOf)).toEqual({});
  });

  it('an extension measures the reply against the extended day', () => {
    const extended = '2026-09-01T00:00+05:00';
    const events = trail([
      ['opened', '2026-07-15T09:00+05:00', 1, '2026-08-18T00:00+05:00'],
      ['extended', '2026-08-10T10:00+05:00', 1],
      ['replanned', '2026-08-10T10:00+05:00', 1, extended],
      ['replied', '2026-08-25T10:00+05:00', 1],
    ]);
    expect(figuresOf(obligation('submission-reply', 1, extended), events, Q3, asOf)).toEqual({ due: 1, onTime: 1 });
  });

  it('a deadline whose last day falls in another quarter is not counted in this one', () => {
    const due = '2026-10-01T18:30+05:00';
    expect(figuresOf(obligation('sss-decision', 1, due), trail([['opened', '2026-09-28T10:00+05:00', 1, due]]), Q3, asOf)).toEqual({});
  });

  it('offender checks: each cycle on time, late or missed; one ended before its end owes nothing', () => {
    const events = trail([
      ['opened', '2026-07-02T10:00+05:00', 1, '2026-07-10T00:00+05:00'],
      ['checked', '2026-07-08T12:00+05:00', 1],
      ['cycle-opened', '2026-07-08T12:00+05:00', 2, '2026-07-16T00:00+05:00'],
      ['violation-found', '2026-07-12T12:00+05:00', 2],
      ['checked', '2026-07-17T10:00+05:00', 2],
      ['cycle-opened', '2026-07-17T10:00+05:00', 3, '2026-07-25T00:00+05:00'],
      ['deregistered', '2026-07-20T10:00+05:00', 3],
    ]);
    expect(figuresOf(obligation('offender-check', 3, '2026-07-25T00:00+05:00'), events, Q3, asOf)).toEqual({ due: 2, onTime: 1, late: 1, breaches: 1 });
    const missed = trail([['opened', '2026-08-20T09:00+05:00', 1, '2026-08-28T00:00+05:00']]);
    expect(figuresOf(obligation('offender-check', 1, '2026-08-28T00:00+05:00'), missed, Q3, asOf)).toEqual({ due: 1, missed: 1 });
    // Taken off the register after the check fell due: missed all the same.
    const late = trail([...missed.map((event) => [event.type, '2026-08-20T09:00+05:00', 1, '2026-08-28T00:00+05:00'] as [string, string, number, string]), ['deregistered', '2026-09-01T10:00+05:00', 1]]);
    expect(figuresOf(obligation('offender-check', 1, '2026-08-28T00:00+05:00'), late, Q3, asOf)).toEqual({ due: 1, missed: 1 });
  });

  it('protective orders: served, breached, expired and renewed by the day each happened', () => {
    const events = trail([
      ['opened', '2026-06-20T10:00+05:00', 1, '2026-07-20T10:00+05:00'],
      ['violation-found', '2026-06-25T10:00+05:00', 1],
      ['violation-found', '2026-07-05T10:00+05:00', 1],
      ['expired', '2026-07-20T10:00+05:00', 1],
      ['renewed', '2026-07-21T10:00+05:00', 1],
    ]);
    // Served in June: the second quarter's; breached once in July, expired and renewed in July.
    expect(figuresOf(obligation('protective-order', 1, '2026-07-20T10:00+05:00'), events, Q3, asOf)).toEqual({ breached: 1, expired: 1, renewed: 1 });
    expect(figuresOf(obligation('protective-order', 1, '2026-07-20T10:00+05:00'), events, quarterOf('2026-Q2'), asOf)).toEqual({ served: 1, breached: 1 });
  });
});

describe('the tally an obligation keeps (issue 19)', () => {
  const asOf = at('2026-10-02T10:00+05:00');
  const checks = trail([
    ['opened', '2026-07-02T10:00+05:00', 1, '2026-07-10T00:00+05:00'],
    ['reminded', '2026-07-09T09:00+05:00', 1],
    ['checked', '2026-07-08T12:00+05:00', 1],
    ['cycle-opened', '2026-07-08T12:00+05:00', 2, '2026-07-16T00:00+05:00'],
    ['violation-found', '2026-07-12T12:00+05:00', 2],
    ['checked', '2026-07-17T10:00+05:00', 2],
    ['checked', '2026-07-17T11:00+05:00', 2],
    ['cycle-opened', '2026-07-17T10:00+05:00', 3, '2026-07-25T00:00+05:00'],
    ['deregistered', '2026-07-20T10:00+05:00', 3],
  ]);

  it('folded one write at a time, it is the tally of the whole trail, and counts the same figures', () => {
    const stepwise = checks.reduce((tally, event) => tallyWith(tally, 'offender-check', [event]), EMPTY_TALLY);
    expect(stepwise).toEqual(tallyOf('offender-check', checks));
    const current = obligation('offender-check', 3, '2026-07-25T00:00+05:00');
    expect(figuresFrom(current, stepwise, Q3, asOf)).toEqual(figuresOf(current, checks, Q3, asOf));
    expect(figuresFrom(current, stepwise, Q3, asOf)).toEqual({ due: 2, onTime: 1, late: 1, breaches: 1 });
  });

  it('keeps per cycle the due instant and the first act that met or ended it, and only the entries a figure counts', () => {
    expect(tallyOf('offender-check', checks)).toEqual({
      cycles: [
        { cycle: 1, dueAt: at('2026-07-10T00:00+05:00'), met: { act: 'checked', at: at('2026-07-08T12:00+05:00') } },
        { cycle: 2, dueAt: at('2026-07-16T00:00+05:00'), met: { act: 'checked', at: at('2026-07-17T10:00+05:00') } },
        { cycle: 3, dueAt: at('2026-07-25T00:00+05:00'), ended: { act: 'deregistered', at: at('2026-07-20T10:00+05:00') } },
      ],
      marks: [{ type: 'violation-found', at: at('2026-07-12T12:00+05:00') }],
    });
    // A deadline keeps no marks: its figures are its cycles.
    expect(tallyOf('submission-reply', trail([['opened', '2026-07-15T09:00+05:00', 1, '2026-08-18T00:00+05:00'], ['cancelled', '2026-07-20T10:00+05:00', 1]])).marks).toEqual([]);
  });
});
