import { describe, expect, it } from 'vitest';
import { quarterlyReportStart } from '../../functions/app/provision.ts';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { formatInstant, parseInstant } from '../../shared/base/index.ts';
import { catalogTable, findRule, planObligation } from '../../shared/rules/index.ts';

/**
 * Order No. 352, item 9 (seed 000 L85–87): a district unit reports by the 5th of the month after
 * the quarter, a regional department by the 10th; a last day off moves to the next working day
 * (Civil Code, LEGAL.md §1.5). The expected days below are worked out by hand from the calendar:
 * weekdays, the holidays law (a holiday on a weekend gives the next working day off) and the
 * decreed transfers (none falls on these days).
 */

const calendar = kazakhstan();
const rule = findRule('unit-quarterly-report');

function due(start: string, variant: 'district' | 'region') {
  const plan = planObligation({ rule, start: parseInstant(start), calendar, variant });
  return { dueDate: plan.dueDate, dueAt: formatInstant(plan.dueAt), movedFrom: plan.movedFrom };
}

interface Quarter {
  readonly quarter: string;
  /** The quarter's last day, its first day after, and a day inside it. */
  readonly lastDay: string;
  readonly nextDay: string;
  readonly inside: string;
  readonly district: string;
  readonly region: string;
  readonly why: string;
}

const quarters: readonly Quarter[] = [
  {
    quarter: 'Q2 2025',
    lastDay: '2025-06-30',
    nextDay: '2025-07-01',
    inside: '2025-05-15',
    district: '2025-07-08',
    region: '2025-07-10',
    why: '5 July is a Saturday, 6 July (Capital Day) a Sunday, so Monday 7 July is its day off: Tuesday 8 July. 10 July is a Thursday.',
  },
  { quarter: 'Q3 2025', lastDay: '2025-09-30', nextDay: '2025-10-01', inside: '2025-08-15', district: '2025-10-06', region: '2025-10-10', why: '5 October is a Sunday: Monday 6 October. 10 October is a Friday.' },
  {
    quarter: 'Q4 2025',
    lastDay: '2025-12-31',
    nextDay: '2026-01-01',
    inside: '2025-11-15',
    district: '2026-01-05',
    region: '2026-01-12',
    why: 'New Year (1–2 January 2026) falls on Thursday and Friday, so Monday 5 January works. 10 January is a Saturday: Monday 12 January.',
  },
  { quarter: 'Q1 2026', lastDay: '2026-03-31', nextDay: '2026-04-01', inside: '2026-02-15', district: '2026-04-06', region: '2026-04-10', why: '5 April is a Sunday: Monday 6 April. 10 April is a Friday.' },
  {
    quarter: 'Q2 2026',
    lastDay: '2026-06-30',
    nextDay: '2026-07-01',
    inside: '2026-05-15',
    district: '2026-07-07',
    region: '2026-07-10',
    why: '5 July is a Sunday and Monday 6 July is Capital Day: Tuesday 7 July. 10 July is a Friday.',
  },
  { quarter: 'Q3 2026', lastDay: '2026-09-30', nextDay: '2026-10-01', inside: '2026-08-15', district: '2026-10-05', region: '2026-10-12', why: '5 October is a Monday. 10 October is a Saturday: Monday 12 October.' },
  {
    quarter: 'Q4 2026',
    lastDay: '2026-12-31',
    nextDay: '2027-01-01',
    inside: '2026-11-15',
    district: '2027-01-05',
    region: '2027-01-11',
    why: '2 January 2027 is a Saturday, so its day off is Monday 4 January; Tuesday 5 January works. 10 January is a Sunday: Monday 11 January.',
  },
  { quarter: 'Q1 2027', lastDay: '2027-03-31', nextDay: '2027-04-01', inside: '2027-02-15', district: '2027-04-05', region: '2027-04-12', why: '5 April is a Monday. 10 April is a Saturday: Monday 12 April.' },
  {
    quarter: 'Q2 2027',
    lastDay: '2027-06-30',
    nextDay: '2027-07-01',
    inside: '2027-05-15',
    district: '2027-07-05',
    region: '2027-07-12',
    why: '5 July is a Monday (Capital Day is Tuesday 6 July). 10 July is a Saturday: Monday 12 July.',
  },
  { quarter: 'Q3 2027', lastDay: '2027-09-30', nextDay: '2027-10-01', inside: '2027-08-15', district: '2027-10-05', region: '2027-10-11', why: '5 October is a Tuesday. 10 October is a Sunday: Monday 11 October.' },
  {
    quarter: 'Q4 2027',
    lastDay: '2027-12-31',
    nextDay: '2028-01-01',
    inside: '2027-11-15',
    district: '2028-01-05',
    region: '2028-01-10',
    why: '1–2 January 2028 fall on the weekend, so Monday 3 and Tuesday 4 January are their days off; Wednesday 5 January works. 10 January is a Monday. (2028 is projected from the law.)',
  },
];

describe('unit-quarterly-report: by the 5th (district) or the 10th (region) of the month after the quarter', () => {
  describe.each(quarters)('$quarter', ({ lastDay, nextDay, inside, district, region, why }) => {
    it(`district by ${district}, region by ${region}: ${why}`, () => {
      // Merzim opens it on the quarter's last day; the instant the quarter ends and any day inside it give the same dates.
      for (const start of [`${lastDay}T00:00+05:00`, `${nextDay}T00:00+05:00`, `${inside}T10:00+05:00`]) {
        expect(due(start, 'district'), start).toMatchObject({ dueDate: district, dueAt: `${district}T18:30:00+05:00` });
        expect(due(start, 'region'), start).toMatchObject({ dueDate: region, dueAt: `${region}T18:30:00+05:00` });
      }
    });
  });

  it('moves a last day off only when it is a day off, and says from where', () => {
    expect(due('2025-06-30T00:00+05:00', 'district').movedFrom).toBe('2025-07-05');
    expect(due('2026-06-30T00:00+05:00', 'district').movedFrom).toBe('2026-07-05');
    expect(due('2025-12-31T00:00+05:00', 'region').movedFrom).toBe('2026-01-10');
    expect(due('2026-03-31T00:00+05:00', 'region').movedFrom).toBeUndefined();
    expect(due('2026-09-30T00:00+05:00', 'district').movedFrom).toBeUndefined();
  });

  it('the first quarter of 2026 ends at 2026-03-31T19:00Z: the region reports by 10 April, not 13 April', () => {
    expect(due('2026-03-31T19:00:00Z', 'region')).toEqual({ dueDate: '2026-04-10', dueAt: '2026-04-10T18:30:00+05:00', movedFrom: undefined });
    // A minute later the second quarter has begun: its report is due in July.
    expect(due('2026-03-31T19:01:00Z', 'region').dueDate).toBe('2026-07-10');
    // A start on 15 May is in the second quarter: 5 July (a Sunday; 6 July is Capital Day), not 20 May.
    expect(due('2026-05-15T10:00+05:00', 'district').dueDate).toBe('2026-07-07');
  });

  it('provisioning opens the report on the quarter\'s last day, which reports on that quarter; the next one a quarter later', () => {
    const start = quarterlyReportStart(parseInstant('2026-05-20T12:00+05:00'));
    expect(formatInstant(start)).toBe('2026-06-30T00:00:00+05:00');
    const plan = planObligation({ rule, start, calendar, variant: 'region' });
    expect(plan.dueDate).toBe('2026-07-10');
    expect(plan.nextCycle).toEqual({ kind: 'calendar', startsAt: parseInstant('2026-09-30T00:00+05:00') });
    expect(planObligation({ rule, start: parseInstant('2026-09-30T00:00+05:00'), calendar, variant: 'region' }).dueDate).toBe('2026-10-12');
  });

  it('reads in the catalog table as a date, not a count of days', () => {
    const row = catalogTable([rule]).split('\n')[2] ?? '';
    expect(row).toContain('| the 5th of the month after the quarter; region: the 10th of the month after the quarter |');
    expect(row).toContain('| 2025-04-30 |');
  });
});
