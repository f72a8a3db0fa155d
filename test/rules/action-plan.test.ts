import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { parseInstant } from '../../shared/base/index.ts';
import {
  type ActionPlan,
  type ActionPlanHeader,
  type ActionPlanResult,
  DEADLINE_EXPECTED,
  type OpeningRequest,
  openingsOf,
  parseActionPlan,
  parseActionPlanCsv,
  parseActionPlanJson,
} from '../../shared/action-plans/index.ts';
import { findRule, planObligation } from '../../shared/rules/index.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
// Seed 002's plan ran 2020–2023; the fixtures move it six years on, into the calendar's years.
const header: ActionPlanHeader = { plan: 'ZKO-IAP-2020', issuedBy: 'zko-uralsk-kdn', from: '2026-01-01', until: '2029-12-31' };

function planOf(result: ActionPlanResult): ActionPlan {
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.errors, null, 2)}`);
  return result.plan;
}
function errorsOf(result: ActionPlanResult) {
  if (result.ok) throw new Error('expected errors, got a plan');
  return result.errors;
}
const where = (result: ActionPlanResult) => errorsOf(result).map(({ row, field }) => [row, field]);

/** A small plan as JSON text, one row per deadline. */
function jsonPlan(items: readonly unknown[], over: Partial<ActionPlanHeader> = {}): string {
  return JSON.stringify({ ...header, ...over, items });
}
const row = (item: string, deadline: string, responsible: string[] = ['zko-education']) => ({ item, deadline, responsible });

describe('the seed plan (docs/action-plan-zko.csv, test/fixtures/action-plan-zko-2020.json): seed 002 as written', () => {
  const fromCsv = parseActionPlanCsv(readFileSync(new URL('../../docs/action-plan-zko.csv', import.meta.url), 'utf8'), header);
  const fromJson = parseActionPlanJson(fixture('action-plan-zko-2020.json'));
  const rule = findRule('action-plan-item');
  const calendar = kazakhstan();
  const planned = (opening: OpeningRequest) =>
    planObligation({
      rule,
      calendar,
      start: parseInstant(opening.start),
      variant: opening.variant,
      ...(opening.dueDate === undefined ? {} : { dueDate: opening.dueDate }),
      ...(opening.count === undefined ? {} : { count: opening.count }),
    });
  const itemOf = (opening: OpeningRequest) => opening.caseRef.split('/')[1];
  const byItem = (openings: readonly OpeningRequest[]) => new Map(openings.map((opening) => [itemOf(opening), opening]));

  it('parses to the same plan from CSV and from JSON', () => {
    expect(planOf(fromCsv)).toEqual(planOf(fromJson));
    const plan = planOf(fromCsv);
    expect(plan.items[30]).toEqual({
      item: '31',
      title: 'Білім беру ұйымдарын психологтармен, әлеуметтік педагогтармен, медицина қызметкерлерімен және мектеп полиция инспекторларымен жасақтау',
      deadline: 'yearly:08-25',
      responsible: ['zko-education', 'zko-health', 'zko-police'],
      form: 'Ақпарат',
    });
    expect(plan.items[8]).toMatchObject({ item: '9', deadline: 'quarterly', years: '2026-2028' });
  });

  it('takes every row of the seed\'s plan, items 1 to 36, and refuses none', () => {
    const plan = planOf(fromCsv);
    expect(plan.items.map((item) => item.item)).toEqual(Array.from({ length: 36 }, (_, index) => String(index + 1)));
    // as the seed words each term (lines 12–59), in the plan's own order
    expect(plan.items.map((item) => item.deadline)).toEqual([
      'months:01', 'yearly', 'yearly', 'yearly', 'quarterly', 'quarterly', 'quarterly', 'quarterly', 'quarterly', 'monthly',
      'permanent', 'yearly', 'months:09-10', 'months:10-11', 'months:10-12', 'months:11-12', 'months:11-12', 'months:01', 'months:01-02', 'months:02-03',
      'months:04', 'yearly', 'quarterly', 'quarterly', 'quarterly', 'permanent', 'permanent', 'quarterly', 'permanent', 'monthly',
      'yearly:08-25', 'permanent', 'permanent', 'permanent', 'permanent', 'permanent',
    ]);
    const openings = openingsOf(plan);
    expect(openings).toHaveLength(plan.items.reduce((sum, item) => sum + item.responsible.length, 0));
    expect(openings).toHaveLength(81);
    expect(new Set(openings.map(itemOf))).toEqual(new Set(plan.items.map((item) => item.item)));
    // and each plans in full with Kazakhstan's calendar, as the API opens it
    for (const opening of openings) expect(() => planned(opening), opening.caseRef).not.toThrow();
  });

  it('carries "on a permanent basis" (тұрақты негізде, үнемі) as a quarterly report for the whole plan', () => {
    const openings = openingsOf(planOf(fromJson));
    const permanent = [...new Set(openings.filter((opening) => opening.variant === 'permanent').map(itemOf))];
    expect(permanent).toEqual(['11', '26', '27', '29', '32', '33', '34', '35', '36']);
    const item = byItem(openings).get('29');
    expect(item).toMatchObject({ variant: 'permanent', start: '2026-01-01T00:00:00+05:00', until: '2029-12-31' });
    const plan = planned(item as OpeningRequest);
    expect(plan.dueDate).toBe('2026-03-31');
    expect(plan.nextCycle).toEqual({ kind: 'calendar', startsAt: parseInstant('2026-04-01T00:00') });
    expect(rule.notes?.some((note) => note.startsWith('⚠ "On a permanent basis"') && /the plan names no period/.test(note))).toBe(true);
  });

  it('keeps a window of months from its first day: reminded as it opens, due at its end moved off a day off, again each year', () => {
    const openings = byItem(openingsOf(planOf(fromCsv)));
    expect(openings.get('13')).toMatchObject({ variant: 'window', start: '2026-09-01T00:00:00+05:00', count: 2, until: '2029-12-31' });
    expect(openings.get('13')).not.toHaveProperty('dueDate');
    expect(openings.get('15')).toMatchObject({ variant: 'window', start: '2026-10-01T00:00:00+05:00', count: 3 });
    expect(openings.get('21')).toMatchObject({ variant: 'window', start: '2026-04-01T00:00:00+05:00', count: 1 });

    // September–October 2026: 1 September is a Tuesday; 31 October a Saturday, so the last day is Monday 2 November.
    const seminar = planned(openings.get('13') as OpeningRequest);
    expect(seminar.dueDate).toBe('2026-11-02');
    expect(seminar.movedFrom).toBe('2026-10-31');
    expect(seminar.milestones.filter((milestone) => milestone.kind === 'reminder').map((milestone) => [milestone.id, milestone.at])).toEqual([
      ['reminder-1', parseInstant('2026-09-01T09:00')],
      // 5 working days before 2 November: Republic Day (25 October, a Sunday) moves the day off to Monday 26th
      ['reminder-2', parseInstant('2026-10-23T09:00')],
    ]);
    expect(seminar.nextCycle).toEqual({ kind: 'calendar', startsAt: parseInstant('2027-09-01T00:00') });

    // January 2026 opens after the New Year and Christmas days off: reminded on Monday 5 January.
    const january = planned(openings.get('18') as OpeningRequest);
    expect(january.milestones[0]).toMatchObject({ id: 'reminder-1', at: parseInstant('2026-01-05T09:00') });
    expect(january.dueDate).toBe('2026-02-02');
  });

  it('runs an item with years of its own only in those years', () => {
    const openings = byItem(openingsOf(planOf(fromJson)));
    expect(openings.get('9')).toMatchObject({ variant: 'quarterly', until: '2028-12-31' });
    expect(openings.get('10')).toMatchObject({ variant: 'monthly', until: '2027-12-31' });
    expect(openings.get('12')).toMatchObject({ variant: 'yearly', until: '2027-12-31' });
    expect(openings.get('1')).toMatchObject({ variant: 'window', start: '2026-01-01T00:00:00+05:00', count: 1, until: '2026-12-31' });
    expect(openings.get('2')).toMatchObject({ until: '2029-12-31' });
  });
});

describe('the bad plan (test/fixtures/action-plan-bad.csv)', () => {
  it('gives every error at once, each on its line and field', () => {
    const errors = errorsOf(parseActionPlanCsv(fixture('action-plan-bad.csv'), header));
    expect(errors.map(({ row, field }) => [row, field])).toEqual([
      [3, 'item'],
      [4, 'responsible'],
      [5, 'responsible'],
      [6, 'responsible'],
      [7, 'deadline'],
      [8, 'deadline'],
      [9, 'title'],
      // lines 10–11 are one good record: a quoted title with a line break, a comma and doubled quotes
      [12, 'deadline'],
      [13, 'csv'],
      [14, 'deadline'],
      [15, 'deadline'],
      [15, 'responsible'],
    ]);
    const message = (line: number, field: string) => errors.find((error) => error.row === line && error.field === field)?.message;
    expect(message(5, 'responsible')).toMatch(/^"БҚО білім басқармасы": an organisation unit is a code/);
    expect(message(6, 'responsible')).toBe('"zko-police" is already responsible for item 1 (row 2)');
    expect(message(7, 'deadline')).toBe(DEADLINE_EXPECTED);
    expect(message(8, 'deadline')).toBe('2025-10-31 does not fall between from 2026-01-01 and until 2029-12-31');
    expect(message(9, 'title')).toMatch(/12-digit/);
    expect(message(12, 'deadline')).toMatch(/02-30 is not a day of the year/);
    expect(message(13, 'csv')).toMatch(/expected 5 fields .* found 4/);
    expect(message(14, 'deadline')).toBe('2026-02-30 is not a calendar date');
  });

  it('reports the plan-level fields on row 0 alongside the rows', () => {
    const result = parseActionPlanCsv(fixture('action-plan-bad.csv'), { ...header, issuedBy: 'БҚО', from: '2026-13-01' });
    expect(where(result).filter(([line]) => line === 0)).toEqual([[0, 'issuedBy'], [0, 'from']]);
    expect(where(result)).toContainEqual([7, 'deadline']);
  });
});

describe('dates and the calendar', () => {
  it('starts each variant at the first day of the period that holds `from`', () => {
    const plan = planOf(
      parseActionPlanJson(
        jsonPlan([row('1', 'monthly'), row('2', 'quarterly'), row('3', 'yearly'), row('4', 'yearly:08-25'), row('5', 'yearly:03-01'), row('6', '2026-12-15')], {
          from: '2026-05-20',
          until: '2027-11-30',
        }),
      ),
    );
    expect(openingsOf(plan).map(({ variant, start, dueDate }) => ({ variant, start, dueDate }))).toEqual([
      { variant: 'monthly', start: '2026-05-01T00:00:00+05:00', dueDate: undefined },
      { variant: 'quarterly', start: '2026-04-01T00:00:00+05:00', dueDate: undefined },
      { variant: 'yearly', start: '2026-01-01T00:00:00+05:00', dueDate: undefined },
      // yearly:MM-DD opens its first year only; 1 March 2026 is before `from`, so 2027's comes first
      { variant: 'by-date', start: '2026-05-20T00:00:00+05:00', dueDate: '2026-08-25' },
      { variant: 'by-date', start: '2027-01-01T00:00:00+05:00', dueDate: '2027-03-01' },
      { variant: 'by-date', start: '2026-05-20T00:00:00+05:00', dueDate: '2026-12-15' },
    ]);
  });

  it('takes a plan into the projected years, and refuses one reaching past the horizon, on each row that reaches there', () => {
    expect(parseActionPlanCsv(readFileSync(new URL('../../docs/action-plan-zko.csv', import.meta.url), 'utf8'), { ...header, until: '2030-12-31' }).ok).toBe(true);

    const late = parseActionPlanCsv(readFileSync(new URL('../../docs/action-plan-zko.csv', import.meta.url), 'utf8'), { ...header, until: '2038-12-31' });
    const errors = errorsOf(late);
    // every row but items 1, 9, 10 and 12, which end with their own years (2026 to 2028), has a period in 2038
    const ownYears = [2, 10, 11, 13];
    expect(errors.map((error) => error.row)).toEqual(Array.from({ length: 36 }, (_, index) => index + 2).filter((line) => !ownYears.includes(line)));
    expect(errors.every((error) => error.field === 'deadline' && /calendar's horizon, 2037-12-31/.test(error.message))).toBe(true);
    expect(errors[0]?.message).toMatch(/^the yearly period from 2038-01-01 cannot be counted/);

    const once = errorsOf(parseActionPlanJson(jsonPlan([row('1', 'monthly'), row('2', '2038-03-31')], { until: '2038-12-31' })));
    expect(once.map(({ row: line, field }) => [line, field])).toEqual([[1, 'deadline'], [2, 'deadline']]);
    expect(once[1]?.message).toMatch(/^the deadline 2038-03-31 cannot be planned: 2038-03-31 is past the calendar's horizon/);
  });

  it('refuses an opening whose reminders or escalations would fall beyond the calendar', () => {
    // December 2037: due on the 31st, escalated on the next working morning, in 2038
    const errors = errorsOf(parseActionPlanJson(jsonPlan([row('1', 'monthly'), row('2', '2037-12-15')], { from: '2037-12-01', until: '2037-12-31' })));
    expect(errors.map((error) => error.row)).toEqual([1]);
    expect(errors[0]?.message).toMatch(/^the monthly period from 2037-12-01 cannot be planned: the count runs past the calendar's horizon/);
  });

  it('refuses until before from, and a once-date outside the plan', () => {
    expect(where(parseActionPlanJson(jsonPlan([row('1', 'monthly')], { until: '2025-12-31' })))).toEqual([[0, 'until']]);
    const result = parseActionPlanJson(jsonPlan([row('1', '2026-08-31'), row('2', '2028-01-01'), row('3', '2025-12-31'), row('4', 'yearly:09-01')], { until: '2026-08-31' }));
    expect(where(result)).toEqual([[2, 'deadline'], [3, 'deadline'], [4, 'deadline']]);
    expect(errorsOf(result)[2]?.message).toBe('yearly:09-01 does not fall between from 2026-01-01 and until 2026-08-31');
  });

  it('takes deadlines in their five forms only', () => {
    const deadlines = ['monthly', 'quarterly', 'yearly', 'yearly:12-31', '2026-06-30', 'Monthly', 'weekly', 'yearly:02-29', 'yearly:13-01', 'yearly:8-25', '30.06.2026', '2026-6-30', ''];
    const result = parseActionPlanJson(jsonPlan(deadlines.map((deadline, index) => row(String(index + 1), deadline))));
    expect(where(result)).toEqual([6, 7, 8, 9, 10, 11, 12, 13].map((line) => [line, 'deadline']));
    expect(errorsOf(result).find((error) => error.row === 8)?.message).toMatch(/29 February does not come every year/);
  });
});

describe('permanent items, windows of months and years of their own', () => {
  const withYears = (item: string, deadline: string, years: string) => ({ ...row(item, deadline), years });

  it('checks a window\'s months and an item\'s years, each on its row and field', () => {
    const result = parseActionPlanJson(
      jsonPlan([
        row('1', 'months:09-10'),
        row('2', 'months:12-01'),
        row('3', 'months:13'),
        row('4', 'months:9-10'),
        withYears('5', 'quarterly', '2027'),
        withYears('6', 'quarterly', '2031-2032'),
        withYears('7', 'quarterly', '2028-2027'),
        withYears('8', 'quarterly', '2020–2022 жж.'),
        row('9', 'Permanent'),
      ]),
    );
    expect(where(result)).toEqual([[2, 'deadline'], [3, 'deadline'], [4, 'deadline'], [6, 'years'], [7, 'years'], [8, 'years'], [9, 'deadline']]);
    const message = (line: number) => errorsOf(result).find((error) => error.row === line)?.message;
    expect(message(2)).toBe('months:12-01: a window runs within one year (write months:12-12 and months:01-01 as two rows)');
    expect(message(3)).toBe('months:13: a month is 01 to 12');
    expect(message(4)).toBe(DEADLINE_EXPECTED);
    expect(message(6)).toBe('the item\'s years 2031-2032 lie outside the plan, from 2026-01-01 until 2029-12-31');
    expect(message(7)).toBe('2028-2027: the last year is before the first');
  });

  it('starts an item with years of its own in its first year and ends it with its last', () => {
    const plan = planOf(parseActionPlanJson(jsonPlan([withYears('1', 'quarterly', '2027-2028'), withYears('2', 'months:04', '2028'), withYears('3', 'permanent', '2025-2026')])));
    expect(openingsOf(plan).map(({ variant, start, until, count }) => ({ variant, start, until, count }))).toEqual([
      { variant: 'quarterly', start: '2027-01-01T00:00:00+05:00', until: '2028-12-31', count: undefined },
      { variant: 'window', start: '2028-04-01T00:00:00+05:00', until: '2028-12-31', count: 1 },
      // the plan's period bounds the item's years: 2025 is before it
      { variant: 'permanent', start: '2026-01-01T00:00:00+05:00', until: '2026-12-31', count: undefined },
    ]);
  });

  it('a plan loaded later opens the window under way or the next to come, and the quarter under way', () => {
    const plan = planOf(parseActionPlanJson(jsonPlan([row('1', 'months:09-10'), row('2', 'months:11-12'), row('3', 'permanent'), withYears('4', 'months:01', '2026')])));
    expect(openingsOf(plan, { today: '2026-11-30' }).map(({ start }) => start)).toEqual([
      '2027-09-01T00:00:00+05:00',
      '2026-11-01T00:00:00+05:00',
      '2026-10-01T00:00:00+05:00',
      // its one window is past: it is opened as it was, and is overdue at once
      '2026-01-01T00:00:00+05:00',
    ]);
  });
});

describe('rows', () => {
  it('numbers items like 1 or 8.2, dropping a trailing dot', () => {
    const plan = planOf(parseActionPlanJson(jsonPlan([row('8.2', 'monthly'), row(' 9. ', 'monthly')])));
    expect(plan.items.map((item) => item.item)).toEqual(['8.2', '9']);
    expect(openingsOf(plan).map((opening) => opening.caseRef)).toEqual(['ZKO-IAP-2020/8.2', 'ZKO-IAP-2020/9']);
    expect(where(parseActionPlanJson(jsonPlan([row('8-2', 'monthly'), row('', 'monthly'), { ...row('x', 'monthly'), item: 3 }])))).toEqual([
      [1, 'item'],
      [2, 'item'],
      [3, 'item'],
    ]);
  });

  it('refuses the same body twice on an item, in one row or across rows', () => {
    const result = parseActionPlanJson(jsonPlan([row('1', 'monthly', ['zko-police', 'zko-police']), row('2', 'monthly', ['zko-police']), row('2', 'quarterly', ['zko-health', 'zko-police'])]));
    expect(errorsOf(result)).toEqual([
      { row: 1, field: 'responsible', message: '"zko-police" is already responsible for item 1 (row 1)' },
      { row: 3, field: 'responsible', message: '"zko-police" is already responsible for item 2 (row 2)' },
    ]);
  });

  it('keeps titles short, on one line and free of 12-digit numbers', () => {
    const plan = planOf(parseActionPlanJson(jsonPlan([{ ...row('1', 'monthly'), title: '  Рейд\n  өткізу ', form: 'Ақпарат' }])));
    expect(plan.items[0]).toEqual({ item: '1', title: 'Рейд өткізу', deadline: 'monthly', responsible: ['zko-education'], form: 'Ақпарат' });
    const result = parseActionPlanJson(
      jsonPlan([
        { ...row('1', 'monthly'), title: 'x'.repeat(301) },
        { ...row('2', 'monthly'), title: 'ЖСН 1234 5678 9012' },
        { ...row('3', 'monthly'), form: '' },
        { ...row('4', 'monthly'), responsible: [] },
        { item: '5', deadline: 'monthly' },
        { ...row('6', 'monthly'), assignee: 'someone' },
      ]),
    );
    expect(where(result)).toEqual([[1, 'title'], [2, 'title'], [3, 'form'], [4, 'responsible'], [5, 'responsible'], [6, 'assignee']]);
    expect(errorsOf(result)[4]?.message).toBe('responsible is required');
  });

  it('refuses an item whose case reference would be too long', () => {
    const result = parseActionPlanJson(jsonPlan([row('1', 'monthly')], { plan: 'P'.repeat(63) }));
    expect(errorsOf(result)).toEqual([{ row: 1, field: 'item', message: `"${'P'.repeat(63)}/1": a case reference has at most 64 characters` }]);
  });
});

describe('JSON', () => {
  it('says what is wrong with the document itself on row 0', () => {
    expect(where(parseActionPlanJson('{"plan": '))).toEqual([[0, 'json']]);
    expect(where(parseActionPlanJson('[]'))).toEqual([[0, 'plan']]);
    expect(where(parseActionPlanJson(JSON.stringify({ plan: 'P-1', from: '2026-01-01', until: '2026-12-31', items: [], extra: 1 })))).toEqual([
      [0, 'extra'],
      [0, 'issuedBy'],
      [0, 'items'],
    ]);
  });

  it('checks a value already parsed (the API\'s body) the same way', () => {
    expect(parseActionPlan(JSON.parse(fixture('action-plan-zko-2020.json')))).toEqual(parseActionPlanJson(fixture('action-plan-zko-2020.json')));
  });
});

describe('CSV (RFC 4180)', () => {
  it('reads a byte-order mark, CRLF, quoted commas, quotes and line breaks, columns in any order', () => {
    const text = '\uFEFFdeadline,item,responsible\r\n"monthly",1,zko-police; zko-health\r\n\r\nquarterly,"2",zko-education;\r\n';
    const plan = planOf(parseActionPlanCsv(text, header));
    expect(plan.items).toEqual([
      { item: '1', deadline: 'monthly', responsible: ['zko-police', 'zko-health'] },
      { item: '2', deadline: 'quarterly', responsible: ['zko-education'] },
    ]);
    const quoted = 'item,title,deadline,responsible,form\n1,"Рейд, ""түнгі""\nуақытта",monthly,zko-police,\n2,,bad,zko-police,\n';
    const result = parseActionPlanCsv(quoted, header);
    expect(where(result)).toEqual([[4, 'deadline']]); // the record on lines 2–3 is fine; the next starts on line 4
    const again = parseActionPlanCsv(quoted.replace(',bad,', ',monthly,'), header);
    expect(planOf(again).items[0]?.title).toBe('Рейд, "түнгі" уақытта');
  });

  it('refuses a bad header, an unclosed quote and stray text after a quote', () => {
    expect(where(parseActionPlanCsv('item,title,due,responsible\n1,x,monthly,zko-police\n', header))).toEqual([
      [1, 'header'],
      [1, 'header'],
    ]);
    expect(where(parseActionPlanCsv('', header))).toEqual([[1, 'header']]);
    expect(where(parseActionPlanCsv('item,deadline,responsible\n', header))).toEqual([[1, 'items']]);
    expect(where(parseActionPlanCsv('item,deadline,responsible\n1,monthly,zko-police\n2,"monthly,zko-police\n', header))).toEqual([[3, 'csv'], [3, 'csv']]);
    expect(where(parseActionPlanCsv('item,deadline,responsible\n1,"monthly"x,zko-police\n', header))).toEqual([[2, 'csv'], [2, 'deadline']]);
  });
});

describe('a plan loaded after its start', () => {
  it('opens the period under way, not the periods already past', () => {
    const text = JSON.stringify({
      plan: 'LATE-2026',
      issuedBy: 'zko-uralsk-kdn',
      from: '2026-01-01',
      until: '2027-12-31',
      items: [
        { item: '1', deadline: 'monthly', responsible: ['zko-health'] },
        { item: '2', deadline: 'quarterly', responsible: ['zko-health'] },
        { item: '3', deadline: 'yearly:08-25', responsible: ['zko-health'] },
      ],
    });
    const result = parseActionPlanJson(text);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [monthly, quarterly, yearly] = openingsOf(result.plan, { today: '2026-11-22' });
    expect(monthly?.start).toBe('2026-11-01T00:00:00+05:00');
    expect(quarterly?.start).toBe('2026-10-01T00:00:00+05:00');
    expect(yearly?.dueDate).toBe('2027-08-25');
    expect(openingsOf(result.plan)[0]?.start).toBe('2026-01-01T00:00:00+05:00');
  });
});
