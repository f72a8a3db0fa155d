import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { addDays, instantAt, parseInstant } from '../../shared/base/index.ts';
import { PlanError, type Rule, catalog, findRule, planObligation, ruleInForce, versionInForce } from '../../shared/rules/index.ts';
import { parseActionPlanJson } from '../../shared/action-plans/index.ts';

const calendar = kazakhstan();

/** The refusal a call throws, to read its message and field. */
function refusal(call: () => unknown): PlanError {
  try {
    call();
  } catch (error) {
    if (error instanceof PlanError) return error;
    throw error;
  }
  throw new Error('expected a refusal, got a plan');
}

/** Line `n` (from 1) of a seed document, found by its number. */
function seedLine(file: string, n: number): string {
  const dir = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));
  const name = readdirSync(dir).find((entry) => entry.startsWith(`${file}_`));
  if (name === undefined) throw new Error(`no seed ${file}`);
  return readFileSync(`${dir}${name}`, 'utf8').split('\n')[n - 1] ?? '';
}

describe('a rule applies only on the days it is in force', () => {
  it('official-warning: a warning of 1 December 2025 is refused, naming 2 March 2026 and Law No. 245-VIII', () => {
    const refused = refusal(() => planObligation({ rule: findRule('official-warning'), start: parseInstant('2025-12-01T10:00:00+05:00'), calendar }));
    expect(refused.field).toBe('start');
    expect(refused.message).toBe(
      'official-warning is in force from 2026-03-02, by Law of the RK No. 245-VIII of 30.12.2025 "On prevention of offences": a start on 2025-12-01 is before it',
    );
    // On the day the law takes effect the warning runs its 30 days.
    expect(planObligation({ rule: findRule('official-warning'), start: parseInstant('2026-03-02T10:00:00+05:00'), calendar }).dueDate).toBe('2026-04-01');
  });

  it('unit-quarterly-report is in force from 30 April 2025, the day order No. 352 was signed (seed 000, line 10)', () => {
    const rule = findRule('unit-quarterly-report');
    expect(rule.validFrom).toBe('2025-04-30');
    expect(rule.enactedBy.seed).toEqual({ file: '000', lines: '10' });
    // The order's own words: dated 30 April 2025, in force from the day it is signed.
    expect(seedLine('000', 2)).toContain('2025 жылғы 30 сәуірдегі № 352 бұйрығы');
    expect(seedLine('000', 10)).toContain('Осы бұйрық қол қойылған күнінен бастап күшіне енеді');
    // The first quarter of 2025 ended before the order: no report is owed under it.
    expect(refusal(() => planObligation({ rule, start: parseInstant('2025-03-31T00:00'), calendar, variant: 'region' })).message).toMatch(
      /^unit-quarterly-report is in force from 2025-04-30, by Order of the Minister of Internal Affairs of the RK No\. 352 of 30\.04\.2025: a start on 2025-03-31 is before it$/,
    );
    expect(planObligation({ rule, start: parseInstant('2025-06-30T00:00'), calendar }).ruleVersion).toBe(1);
  });

  it.each(catalog.map((rule) => [rule.id, rule] as const))('%s: a start the day before it is in force is refused; on that day it plans', (_id, rule) => {
    const extra = {
      ...(rule.defaultVariant === undefined ? {} : { variant: rule.defaultVariant }),
      ...(rule.countSetPerCase?.required === true ? { count: rule.countSetPerCase.min } : {}),
    };
    const dayBefore = addDays(rule.validFrom, -1);
    const refused = refusal(() => planObligation({ rule, start: instantAt(dayBefore, '12:00'), calendar, ...extra }));
    expect(refused.field).toBe('start');
    expect(refused.message).toBe(`${rule.id} is in force from ${rule.validFrom}, by ${rule.enactedBy.act}: a start on ${dayBefore} is before it`);
    // A rule in force before Kazakhstan's single time zone (2024-03-01) is planned from then on only.
    const first = rule.validFrom < '2024-03-01' ? '2024-03-01' : rule.validFrom;
    const dueDate = rule.counting.period.unit === 'set-date' || (rule.variants?.[rule.defaultVariant ?? '']?.counting?.period.unit ?? '') === 'set-date' ? { dueDate: addDays(first, 30) } : {};
    expect(planObligation({ rule, start: instantAt(first, '12:00'), calendar, ...extra, ...dueDate }).rule).toBe(rule.id);
  });

  it('an action plan whose first period starts before the rule is in force is refused on its row, naming the day', () => {
    const plan = { plan: 'P-2019', issuedBy: 'zko-uralsk-kdn', from: '2019-06-01', until: '2020-12-31', items: [{ item: '1', deadline: 'monthly', responsible: ['zko-education'] }] };
    expect(parseActionPlanJson(JSON.stringify(plan))).toEqual({
      ok: false,
      errors: [{ row: 1, field: 'deadline', message: expect.stringMatching(/^the monthly period from 2019-06-01 cannot be planned: action-plan-item is in force from 2020-01-01, by .*: a start on 2019-06-01 is before it$/) }],
    });
  });
});

describe('the version in force on the day a clock starts', () => {
  const current = findRule('official-warning');
  // Two versions of a rule as a law change would leave them: the first ends the day before the second begins.
  const first: Rule = { ...current, version: 1, validFrom: '2026-03-02', validTo: '2026-12-31' };
  const second: Rule = {
    ...current,
    version: 2,
    validFrom: '2027-01-01',
    validTo: '2027-06-30',
    enactedBy: { act: 'Law of the RK No. 999-VIII of 01.12.2026 (a test amendment)', confidence: 'inferred' },
    counting: { ...current.counting, period: { unit: 'days', count: 45 } },
  };
  const versions = [second, first];

  it('plans a start under the first version by it, and one after its end by the next', () => {
    expect(versionInForce(versions, 'official-warning', '2026-12-31').version).toBe(1);
    const later = versionInForce(versions, 'official-warning', '2027-01-01');
    expect(later.version).toBe(2);
    expect(planObligation({ rule: later, start: parseInstant('2027-01-05T10:00'), calendar })).toMatchObject({ ruleVersion: 2, dueDate: '2027-02-19' });
  });

  it('refuses a start before the first version, naming it, and one after the last ends, naming that day', () => {
    expect(() => versionInForce(versions, 'official-warning', '2026-03-01')).toThrow(/^official-warning is in force from 2026-03-02, by Law of the RK No\. 245-VIII/);
    const after = refusal(() => versionInForce(versions, 'official-warning', '2027-07-01'));
    expect(after.field).toBe('start');
    expect(after.message).toBe('official-warning was in force until 2027-06-30, and no later version applies: a start on 2027-07-01 is after it');
    // Planned with a version whose days have ended, the plan is refused the same way.
    expect(refusal(() => planObligation({ rule: second, start: parseInstant('2027-07-01T10:00'), calendar })).message).toMatch(/was in force until 2027-06-30/);
  });

  it('the catalog: one version of each rule, found by its id and the day', () => {
    expect(ruleInForce('official-warning', '2026-03-02')).toBe(current);
    expect(() => ruleInForce('official-warning', '2026-03-01')).toThrow(PlanError);
    expect(() => ruleInForce('no-such-rule', '2026-03-01')).toThrow(/unknown rule "no-such-rule"/);
    expect(findRule('official-warning', 1)).toBe(current);
    expect(() => findRule('official-warning', 2)).toThrow(/unknown rule/);
  });
});
