import { expect, test } from 'vitest';
import { groupsClaim } from '../../functions/api/http.ts';
import { ObligationViewSchema, obligationView } from '../../functions/api/views.ts';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { parseInstant } from '../../shared/base/index.ts';
import type { Obligation } from '../../shared/model/index.ts';
import { planOf } from '../../shared/obligations/index.ts';
import { findRule } from '../../shared/rules/index.ts';

function obligation(rule: string, status: Obligation['status']): Obligation {
  const start = parseInstant('2026-03-19T15:20+05:00');
  const plan = planOf(findRule(rule), { start }, kazakhstan());
  return { id: 'o-view-1', rule, ruleVersion: 1, caseRef: 'REF-1', org: 'almaty-sss', start, status, revision: 1, cycle: 1, dueAt: plan.dueAt, plan, createdAt: start, createdBy: 'u.one', updatedAt: start, version: 1 };
}

test('the view: instants at +05:00, the plan view, the rule’s names; overdue grounds only while overdue', () => {
  const before = parseInstant('2026-03-20T10:00+05:00');
  const open = obligationView(obligation('submission-reply', 'open'), before);
  expect(ObligationViewSchema.parse(open)).toEqual(open);
  expect(open).toMatchObject({ start: '2026-03-19T15:20:00+05:00', createdAt: '2026-03-19T15:20:00+05:00', ruleName: findRule('submission-reply').names });
  expect(open.overdueGrounds).toBeUndefined();
  const overdue = obligationView(obligation('submission-reply', 'overdue'), before);
  expect(overdue.overdueGrounds?.names.en).toMatch(/CoAO art\. 479/);
  expect('closedAt' in overdue).toBe(false);
});

test('an open obligation whose due instant has passed shows as overdue, with its grounds: nothing needs to be written when it falls overdue', () => {
  const stored = obligation('submission-reply', 'open');
  expect(obligationView(stored, stored.dueAt)).toMatchObject({ status: 'overdue', overdueGrounds: { names: { en: expect.stringMatching(/CoAO art\. 479/) } } });
  expect(obligationView(stored, stored.dueAt - 1)).toMatchObject({ status: 'open' });
  expect(obligationView({ ...stored, status: 'done' }, stored.dueAt + 1).status).toBe('done');
});

test('the groups claim: flattened by API Gateway, an array, a single string, or absent', () => {
  expect(groupsClaim('[admin inspector]')).toEqual(['admin', 'inspector']);
  expect(groupsClaim('[]')).toEqual([]);
  expect(groupsClaim(['commission-secretary'])).toEqual(['commission-secretary']);
  expect(groupsClaim('admin')).toEqual(['admin']);
  expect(groupsClaim(undefined)).toEqual([]);
});

test('a provisional plan: the view and its schema carry the projected days it rests on', () => {
  const start = parseInstant('2027-12-29T10:00+05:00');
  const plan = planOf(findRule('sss-decision'), { start }, kazakhstan());
  const view = obligationView({ id: 'o-view-2', rule: 'sss-decision', ruleVersion: 1, caseRef: 'REF-2', org: 'almaty-sss', start, status: 'open', revision: 1, cycle: 1, dueAt: plan.dueAt, plan, createdAt: start, createdBy: 'u.one', updatedAt: start, version: 1 }, start);
  expect(ObligationViewSchema.parse(view)).toEqual(view);
  expect(view.plan).toMatchObject({ dueDate: '2028-01-05', provisional: true });
  expect(view.plan.projectedDays?.map((day) => [day.date, day.working])).toEqual([
    ['2028-01-01', false],
    ['2028-01-02', false],
    ['2028-01-03', false],
    ['2028-01-04', false],
    ['2028-01-05', true],
  ]);
});
