import { describe, expect, it } from 'vitest';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { formatInstant, parseInstant } from '../../shared/base/index.ts';
import { type PlanRequest, RuleSchema, catalog, findRule, planObligation, ruleVersions } from '../../shared/rules/index.ts';

const calendar = kazakhstan();

function plan(ruleId: string, start: string, extra: Partial<Omit<PlanRequest, 'rule' | 'start' | 'calendar'>> = {}) {
  const result = planObligation({ rule: findRule(ruleId), start: parseInstant(start), calendar, ...extra });
  return {
    ...result,
    dueAt: formatInstant(result.dueAt),
    milestones: result.milestones.map((m) => ({ id: m.id, kind: m.kind, at: formatInstant(m.at), notify: m.notify })),
  };
}

describe('the catalog', () => {
  it('has one entry per timer of LEGAL.md §3, and one for the measures a submission proposes (§3 notes)', () => {
    expect(catalog.map((rule) => rule.id)).toEqual([
      'sss-decision',
      'protective-order',
      'offender-check',
      'official-warning',
      'special-requirements',
      'kdn-placement-reply',
      'submission-reply',
      'submission-measure',
      'unit-quarterly-report',
      'action-plan-item',
      'shelter-absence',
    ]);
  });

  it.each(catalog.map((rule) => [rule.id, rule] as const))('%s names itself in three languages and cites its source', (_id, rule) => {
    for (const text of [rule.names.kk, rule.names.ru, rule.names.en]) expect(text.length).toBeGreaterThan(5);
    expect(rule.names.kk).not.toBe(rule.names.en);
    expect(rule.sources[0]?.act).toMatch(/\S{3,}/);
    expect(rule.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('points the rules the seeds carry at their lines', () => {
    expect(findRule('sss-decision').sources[0]?.seed).toEqual({ file: '001', lines: '1605–1614, 1632–1642' });
    expect(findRule('protective-order').sources[0]?.seed).toEqual({ file: '001', lines: '2748–2758' });
    expect(findRule('kdn-placement-reply').sources[0]?.seed).toEqual({ file: '001', lines: '2009–2019' });
  });

  it('refuses an unknown rule, naming the known ones', () => {
    expect(() => findRule('sss-decisoin')).toThrow(/unknown rule "sss-decisoin" \(known: sss-decision, /);
  });
});

describe('plans', () => {
  it('sss-decision: a conclusion received on Thursday 19 March 2026 is decided by 27 March', () => {
    const result = plan('sss-decision', '2026-03-19T15:20:00+05:00');
    expect(result.dueDate).toBe('2026-03-27');
    expect(result.dueAt).toBe('2026-03-27T18:30:00+05:00');
    expect(result.milestones.slice(0, 3)).toEqual([
      { id: 'reminder-1', kind: 'reminder', at: '2026-03-27T09:00:00+05:00', notify: ['akimat-department'] },
      { id: 'due', kind: 'due', at: '2026-03-27T18:30:00+05:00', notify: [] },
      { id: 'escalation-1-1', kind: 'escalation', at: '2026-03-30T09:00:00+05:00', notify: ['akimat-department-head'] },
    ]);
    expect(result.milestones.filter((m) => m.kind === 'escalation').map((m) => m.at)).toEqual([
      '2026-03-30T09:00:00+05:00',
      '2026-03-31T09:00:00+05:00',
      '2026-04-01T09:00:00+05:00',
      '2026-04-02T09:00:00+05:00',
    ]);
    expect(result.milestones.at(-1)?.notify).toEqual(['deputy-akim']);
  });

  it("sss-decision ends when the department's own working hours end", () => {
    expect(plan('sss-decision', '2026-03-19T15:20', { hours: { opensAt: '08:00', closesAt: '17:00' } }).dueAt).toBe(
      '2026-03-27T17:00:00+05:00',
    );
  });

  it('protective-order: 30 × 24 h from service, a reminder 3 days before, an expiry notice', () => {
    const result = plan('protective-order', '2026-02-27T22:15:00+05:00');
    expect(result.dueAt).toBe('2026-03-29T22:15:00+05:00');
    expect(result.milestones).toEqual([
      { id: 'reminder-1', kind: 'reminder', at: '2026-03-26T22:15:00+05:00', notify: ['inspector'] },
      { id: 'due', kind: 'expiry', at: '2026-03-29T22:15:00+05:00', notify: ['inspector'] },
    ]);
  });

  it('offender-check: due by the end of the 7th calendar day, not moved for Nauryz, next cycle after a check', () => {
    const result = plan('offender-check', '2026-03-16T17:40');
    expect(result.dueDate).toBe('2026-03-23');
    expect(result.dueAt).toBe('2026-03-24T00:00:00+05:00');
    expect(result.milestones.map((m) => [m.kind, m.at])).toEqual([
      ['reminder', '2026-03-23T09:00:00+05:00'],
      ['due', '2026-03-24T00:00:00+05:00'],
      ['escalation', '2026-03-24T09:00:00+05:00'],
      ['escalation', '2026-03-25T09:00:00+05:00'],
      ['escalation', '2026-03-26T09:00:00+05:00'],
    ]);
    expect(result.nextCycle).toEqual({ kind: 'after-act', acts: ['checked'] });
    expect(plan('offender-check', '2026-03-16T17:40', { count: 3 }).dueDate).toBe('2026-03-19');
  });

  it('submission-reply: received 31 January 2026, due 2 March 2026, overdue from 3 March with art. 479 grounds', () => {
    const result = plan('submission-reply', '2026-01-31T11:00');
    expect(result).toMatchObject({ dueDate: '2026-03-02', movedFrom: '2026-02-28', dueAt: '2026-03-03T00:00:00+05:00' });
    expect(result.overdueGrounds?.source.provision).toMatch(/art\. 479/);
    expect(result.overdueGrounds?.names.ru).toMatch(/ст\. 479 КоАП/);
    expect(result.milestones.find((m) => m.kind === 'escalation')).toEqual({
      id: 'escalation-1-1',
      kind: 'escalation',
      at: '2026-03-03T09:00:00+05:00',
      notify: ['addressee-head', 'commission-secretary'],
    });
  });

  it('kdn-placement-reply: two weeks from receipt, the commission secretary told when it passes', () => {
    const result = plan('kdn-placement-reply', '2026-05-13T10:00');
    expect(result.dueDate).toBe('2026-05-28');
    expect(result.milestones.find((m) => m.kind === 'due')?.notify).toEqual(['commission-secretary']);
  });

  it('unit-quarterly-report: by the 5th for a district unit, the 10th for a region, every quarter', () => {
    expect(plan('unit-quarterly-report', '2025-06-30T00:00')).toMatchObject({ variant: 'district', dueDate: '2025-07-08' });
    expect(plan('unit-quarterly-report', '2025-12-31T00:00', { variant: 'region' }).dueDate).toBe('2026-01-12');
    const q1 = plan('unit-quarterly-report', '2026-03-31T00:00');
    expect(q1.dueDate).toBe('2026-04-06');
    expect(q1.nextCycle).toEqual({ kind: 'calendar', startsAt: parseInstant('2026-06-30T00:00') });
  });

  it('action-plan-item: monthly, quarterly and by a set date', () => {
    expect(plan('action-plan-item', '2026-02-01T00:00').dueDate).toBe('2026-03-02');
    expect(plan('action-plan-item', '2026-02-01T00:00').nextCycle).toEqual({ kind: 'calendar', startsAt: parseInstant('2026-03-01T00:00') });
    expect(plan('action-plan-item', '2026-04-01T00:00', { variant: 'quarterly' }).dueDate).toBe('2026-06-30');
    expect(plan('action-plan-item', '2026-01-10T00:00', { variant: 'by-date', dueDate: '2026-08-25' }).dueDate).toBe('2026-08-25');
  });

  it('action-plan-item: permanent is reported each quarter (⚠); a window of months runs to the end of its last month, each year', () => {
    expect(plan('action-plan-item', '2026-07-01T00:00', { variant: 'permanent' })).toMatchObject({ dueDate: '2026-09-30', nextCycle: { kind: 'calendar', startsAt: parseInstant('2026-10-01T00:00') } });
    // February–March 2027: 31 March is a Wednesday; the window opens on Monday 1 February
    const window = plan('action-plan-item', '2027-02-01T00:00', { variant: 'window', count: 2 });
    expect(window).toMatchObject({ dueDate: '2027-03-31', nextCycle: { kind: 'calendar', startsAt: parseInstant('2028-02-01T00:00') } });
    expect(window.milestones[0]).toEqual({ id: 'reminder-1', kind: 'reminder', at: '2027-02-01T09:00:00+05:00', notify: ['addressee'] });
    // one month without a count; a whole year at most
    expect(plan('action-plan-item', '2026-04-01T00:00', { variant: 'window' }).dueDate).toBe('2026-04-30');
    expect(plan('action-plan-item', '2026-01-01T00:00', { variant: 'window', count: 12 }).dueDate).toBe('2026-12-31');
    expect(() => plan('action-plan-item', '2026-01-01T00:00', { variant: 'window', count: 13 })).toThrow(/from 1 to 12/);
    // opened in the afternoon of its first day: reminded the next working morning, not before the start
    expect(plan('action-plan-item', '2026-09-01T15:00', { variant: 'window', count: 2 }).milestones[0]?.at).toBe('2026-09-02T09:00:00+05:00');
  });

  it('special-requirements: the court sets 3 to 12 months', () => {
    expect(plan('special-requirements', '2026-04-10T00:00', { count: 6 })).toMatchObject({ dueDate: '2026-10-10' });
    expect(() => plan('special-requirements', '2026-04-10T00:00')).toThrow(/set per case/);
    expect(() => plan('special-requirements', '2026-04-10T00:00', { count: 13 })).toThrow(/from 3 to 12/);
    expect(() => plan('sss-decision', '2026-04-10T00:00', { count: 5 })).toThrow(/the law fixes this period/);
  });

  it('shelter-absence: the head is told after 3 × 24 h away', () => {
    const result = plan('shelter-absence', '2026-03-20T21:00');
    expect(result.milestones).toEqual([{ id: 'due', kind: 'due', at: '2026-03-23T21:00:00+05:00', notify: ['shelter-head'] }]);
  });

  it('refuses an unknown variant', () => {
    expect(() => plan('unit-quarterly-report', '2026-03-31T00:00', { variant: 'city' })).toThrow(/one of district, region/);
    expect(() => plan('sss-decision', '2026-03-31T00:00', { variant: 'city' })).toThrow(/has no variants/);
  });

  it('drops reminders that would come before the start', () => {
    const result = plan('action-plan-item', '2026-08-24T10:00', { variant: 'by-date', dueDate: '2026-08-25' });
    expect(result.milestones.map((m) => m.id)).toEqual(['reminder-2', 'due', 'escalation-1-1']);
    expect(result.milestones[0]?.at).toBe('2026-08-25T09:00:00+05:00');
  });
});

// The catalog is not parsed when its module loads (a cold start would pay for it): this is its check.
describe('every version of every rule against RuleSchema', () => {
  it.each(ruleVersions.map((rule) => [`${rule.id} v${rule.version}`, rule] as const))('%s is a valid rule, kept as the schema reads it', (_name, rule) => {
    expect(RuleSchema.parse(rule)).toEqual(rule);
  });

  it('a broken entry would fail the check above', () => {
    const rule = catalog[0];
    if (rule === undefined) throw new Error('the catalog is empty');
    expect(RuleSchema.safeParse({ ...rule, validFrom: '2024-13-45' }).success).toBe(false);
    expect(RuleSchema.safeParse({ ...rule, id: 'Not An Id' }).success).toBe(false);
  });
});
