import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { parseInstant } from '../../shared/calendar/instant.ts';
import {
  type ActionPlan,
  type ActionPlanHeader,
  type ActionPlanResult,
  DEADLINE_EXPECTED,
  openingsOf,
  parseActionPlan,
  parseActionPlanCsv,
  parseActionPlanJson,
} from '../../shared/model/action-plan.ts';
import { findRule } from '../../shared/rules/catalog.ts';
import { planObligation } from '../../shared/rules/plan.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const header: ActionPlanHeader = { plan: 'ZKO-IAP-2020', issuedBy: 'zko-uralsk-kdn', from: '2026-01-01', until: '2027-12-31' };

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

describe('the seed plan (test/fixtures/action-plan-zko-2020.*)', () => {
  const fromCsv = parseActionPlanCsv(readFileSync(new URL('../../docs/action-plan-zko.csv', import.meta.url), 'utf8'), header);
  const fromJson = parseActionPlanJson(fixture('action-plan-zko-2020.json'));

  it('parses to the same plan from CSV and from JSON', () => {
    expect(planOf(fromCsv)).toEqual(planOf(fromJson));
    const plan = planOf(fromCsv);
    expect(plan.items.map((item) => item.item)).toEqual(['1', '3', '5', '7', '8', '10', '13', '18', '21', '30', '31']);
    expect(plan.items.map((item) => item.deadline)).toEqual([
      '2026-01-31', 'yearly', 'quarterly', 'quarterly', 'quarterly', 'monthly', 'yearly:10-31', 'yearly:01-31', 'yearly:04-30', 'monthly', 'yearly:08-25',
    ]);
    expect(plan.items[10]).toEqual({
      item: '31',
      title: 'Білім беру ұйымдарын психологтармен, әлеуметтік педагогтармен, медицина қызметкерлерімен және мектеп полиция инспекторларымен жасақтау',
      deadline: 'yearly:08-25',
      responsible: ['zko-education', 'zko-health', 'zko-police'],
      form: 'Ақпарат',
    });
  });

  it('opens one obligation per item and responsible body', () => {
    const plan = planOf(fromCsv);
    const openings = openingsOf(plan);
    expect(openings).toHaveLength(plan.items.reduce((sum, item) => sum + item.responsible.length, 0));
    expect(openings).toHaveLength(24);
    expect(openings.filter((opening) => opening.caseRef === 'ZKO-IAP-2020/30').map((opening) => opening.org)).toEqual(['zko-health', 'zko-police', 'zko-education']);
    expect(openings[0]).toEqual({
      rule: 'action-plan-item',
      variant: 'by-date',
      caseRef: 'ZKO-IAP-2020/1',
      org: 'zko-health',
      issuedBy: 'zko-uralsk-kdn',
      start: '2026-01-01T00:00:00+05:00',
      dueDate: '2026-01-31',
      until: '2027-12-31',
      label: '1',
      title: 'Кәмелетке толмағандарға қарсы жыныстық қылмыс жасаған тұлғалардың психикалық бұзылуын анықтаудың бірыңғай әдістемесін жасау',
    });
    const byItem = new Map(openings.map((opening) => [opening.caseRef.split('/')[1], opening]));
    expect(byItem.get('10')).toMatchObject({ variant: 'monthly', start: '2026-01-01T00:00:00+05:00' });
    expect(byItem.get('10')).not.toHaveProperty('dueDate');
    expect(byItem.get('5')).toMatchObject({ variant: 'quarterly', start: '2026-01-01T00:00:00+05:00' });
    expect(byItem.get('3')).toMatchObject({ variant: 'yearly', start: '2026-01-01T00:00:00+05:00' });
    expect(byItem.get('31')).toMatchObject({ variant: 'by-date', dueDate: '2026-08-25' });
    expect(byItem.get('13')).toMatchObject({ variant: 'by-date', dueDate: '2026-10-31' });
  });

  it('every opening plans with Kazakhstan\'s calendar', () => {
    const rule = findRule('action-plan-item');
    const calendar = kazakhstan();
    const dueDates = openingsOf(planOf(fromJson)).map((opening) =>
      planObligation({ rule, calendar, start: parseInstant(opening.start), variant: opening.variant, ...(opening.dueDate === undefined ? {} : { dueDate: opening.dueDate }) }).dueDate,
    );
    // 2026-01-31 is a Saturday: the last day moves to Monday 2 February; 2026-10-31 too, to 2 November.
    expect(dueDates.slice(0, 2)).toEqual(['2026-02-02', '2026-02-02']);
    expect(new Set(dueDates)).toEqual(new Set(['2026-02-02', '2026-12-31', '2026-03-31', '2026-11-02', '2026-04-30', '2026-08-25']));
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
    expect(message(8, 'deadline')).toBe('2025-10-31 does not fall between from 2026-01-01 and until 2027-12-31');
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
    // every row but item 1 (once, in January 2026) has a period in 2038
    expect(errors.map((error) => error.row)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
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
