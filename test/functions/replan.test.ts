import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { Executions } from '../../functions/adapters/executions.ts';
import type { Store } from '../../functions/adapters/store/index.ts';
import type { AppContext } from '../../functions/app/context.ts';
import { replanAfterCalendarChange } from '../../functions/app/replan.ts';
import { type CalendarOverride, kazakhstan } from '../../shared/calendar/index.ts';
import { formatInstant } from '../../shared/base/index.ts';
import { type Plan, samePlan } from '../../shared/rules/index.ts';
import { VirtualClock } from '../../local/index.ts';
import { type TestService, createMachine, sharedDynamoDbLocal, startTestService } from '../local/support.ts';
import { freshStore, loadDemoDirectory, obligation, open, setFunctionEnv } from './support.ts';

/**
 * A calendar override re-plans only what it moves: a plan read back from DynamoDB, its keys in
 * the table's order, is the same plan as the one computed again (samePlan), so an override
 * that moves nothing writes no revision, no event and starts no execution.
 */

// DynamoDB Local and the local Step Functions service take a while to start on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 180_000 });
setFunctionEnv();

const dynamodb = sharedDynamoDbLocal();
const now = Date.parse('2026-04-14T05:00:00Z');
const clock = new VirtualClock(now);
/** A timer that waits a day: the virtual clock never gets there. */
const waiting = { StartAt: 'WaitForDeadline', States: { WaitForDeadline: { Type: 'Wait', Seconds: 86_400, Next: 'Done' }, Done: { Type: 'Succeed' } } };

let service: TestService;
let executions: Executions;
let store: Store;
let close: () => void;
let overrides: CalendarOverride[] = [];
let context: AppContext;

beforeAll(async () => {
  service = await startTestService(dynamodb.endpoint(), clock);
  const arn = await createMachine(service.sfn, 'merzim-test-sss-decision', waiting);
  await createMachine(service.sfn, 'merzim-test-kdn-placement-reply', waiting);
  executions = new Executions(service.sfn, arn.slice(0, -'sss-decision'.length), () => clock.now());
});
afterAll(async () => {
  await service?.stop();
});
beforeEach(async () => {
  ({ store, close } = await freshStore(dynamodb.endpoint()));
  await loadDemoDirectory(store);
  overrides = [];
  context = { store, executions, mail: { send: () => Promise.reject(new Error('re-planning sends no mail')) }, now: () => now, calendar: async () => kazakhstan(overrides) };
});
afterEach(() => close());

// Received Monday 13 April 2026: decided by Thursday 16 April, 18:30; the commission's decision reported by Monday 27 April.
const decision = obligation({ id: 'sss-replan', rule: 'sss-decision', org: 'zko-uralsk-akimat-sss', startText: '2026-04-13T10:00', at: now });
const placement = obligation({ id: 'kdn-replan', rule: 'kdn-placement-reply', org: 'zko-uralsk-school-12', issuedBy: 'zko-uralsk-kdn', startText: '2026-04-13T10:00', at: now });

async function opened(): Promise<void> {
  await open(store, decision, placement);
  await executions.start(decision);
  await executions.start(placement);
}

describe('samePlan', () => {
  test('a plan with its keys in another order is the same plan; a milestone moved, told to someone else, or a next period moved is not', () => {
    const reversed = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(reversed) : typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reversed(inner)])) : value;
    const plan = decision.plan;
    const shuffled = reversed(plan) as Plan;
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(plan));
    expect(samePlan(shuffled, plan)).toBe(true);
    const [first, ...rest] = plan.milestones;
    if (first === undefined) throw new Error('the decision has milestones');
    expect(samePlan({ ...plan, milestones: [{ ...first, at: first.at + 60_000 }, ...rest] }, plan)).toBe(false);
    expect(samePlan({ ...plan, milestones: [{ ...first, notify: ['deputy-akim'] }, ...rest] }, plan)).toBe(false);
    expect(samePlan({ ...plan, milestones: rest }, plan)).toBe(false);
    expect(samePlan({ ...plan, nextCycle: { kind: 'calendar', startsAt: now } }, plan)).toBe(false);
  });
});

describe('replanAfterCalendarChange', () => {
  test('an override that moves nothing re-plans nothing: no new revision, no event, no execution', async () => {
    await opened();
    const before = { decision: await store.obligations.getObligation(decision.id), placement: await store.obligations.getObligation(placement.id) };
    // Saturday 18 April is a day off already; the decree only confirms it. Both plans span it.
    overrides = [{ date: '2026-04-18', kind: 'day-off', reason: 'decree confirming the weekend' }];
    expect(await replanAfterCalendarChange(context, '2026-04-18')).toBe(0);

    for (const [id, was] of [[decision.id, before.decision], [placement.id, before.placement]] as const) {
      const stored = await store.obligations.getObligation(id);
      expect(stored).toMatchObject({ revision: 1, version: was?.version });
      expect(await store.obligations.events(id)).toEqual([]);
      expect(await executions.status({ id, rule: stored?.rule ?? '' }, 1)).toBe('RUNNING');
      expect(await executions.status({ id, rule: stored?.rule ?? '' }, 2)).toBeUndefined();
    }
  });

  test('an override that moves a deadline re-plans that one only: a new revision, its event and its execution', async () => {
    await opened();
    // Wednesday 15 April made a day off: the decision's three working days end on Friday 17 April;
    // the placement's two weeks still end on Monday 27 April.
    overrides = [{ date: '2026-04-15', kind: 'day-off', reason: 'a test decree' }];
    expect(await replanAfterCalendarChange(context, '2026-04-15')).toBe(1);

    const moved = await store.obligations.getObligation(decision.id);
    expect(moved).toMatchObject({ revision: 2, plan: { dueDate: '2026-04-17' } });
    expect(formatInstant(moved?.dueAt ?? 0)).toBe('2026-04-17T18:30:00+05:00');
    expect((await store.obligations.events(decision.id)).map((event) => [event.type, event.details?.previousDueAt, event.details?.dueAt])).toEqual([
      ['replanned', '2026-04-16T13:30:00.000Z', '2026-04-17T13:30:00.000Z'],
    ]);
    expect(await executions.status({ id: decision.id, rule: 'sss-decision' }, 2)).toBe('RUNNING');

    expect(await store.obligations.getObligation(placement.id)).toMatchObject({ revision: 1, plan: { dueDate: '2026-04-27' } });
    expect(await store.obligations.events(placement.id)).toEqual([]);
    expect(await executions.status({ id: placement.id, rule: 'kdn-placement-reply' }, 2)).toBeUndefined();
  });
});
