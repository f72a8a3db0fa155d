import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { findRule, slotTimes } from '../../shared/rules/index.ts';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { parseInstant } from '../../shared/base/index.ts';
import { Executions } from '../../functions/adapters/executions.ts';
import type { Store } from '../../functions/adapters/store/index.ts';
import type { AppContext } from '../../functions/app/context.ts';
import { quarterEnd, quarterlyReportStart, provisionQuarterlyReports } from '../../functions/app/provision.ts';
import { START_GRACE_MS, reconcile } from '../../functions/app/reconcile.ts';
import { VirtualClock } from '../../local/index.ts';
import { type TestService, createMachine, sharedDynamoDbLocal, startTestService } from '../local/support.ts';
import { freshStore, loadDemoDirectory, obligation, open, setFunctionEnv } from './support.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
setFunctionEnv();

const dynamodb = sharedDynamoDbLocal();

const now = Date.parse('2026-03-20T05:00:00Z');
let service: TestService;
const clock = new VirtualClock(now);
let executions: Executions;
let store: Store;
let close: () => void;
let context: AppContext;

/** A timer that waits a day (the virtual clock never gets there), and one that fails at once. */
const waiting = { StartAt: 'WaitForDeadline', States: { WaitForDeadline: { Type: 'Wait', Seconds: 86_400, Next: 'Done' }, Done: { Type: 'Succeed' } } };
const failing = { StartAt: 'Broken', States: { Broken: { Type: 'Fail', Error: 'Broken', Cause: 'a test machine' } } };

beforeAll(async () => {
  service = await startTestService(dynamodb.endpoint(), clock);
  const arn = await createMachine(service.sfn, 'merzim-test-sss-decision', waiting);
  await createMachine(service.sfn, 'merzim-test-unit-quarterly-report', waiting);
  await createMachine(service.sfn, 'merzim-test-offender-check', failing);
  executions = new Executions(service.sfn, arn.slice(0, -'sss-decision'.length), () => clock.now());
});
afterAll(async () => {
  await service.stop();
});
beforeEach(async () => {
  ({ store, close } = await freshStore(dynamodb.endpoint()));
  await loadDemoDirectory(store);
  context = { store, executions, mail: { send: () => Promise.reject(new Error('the reconciler sends no mail')) }, now: () => now, calendar: async () => kazakhstan() };
});
afterEach(() => close());

describe('reconcile', () => {
  const longAgo = now - 2 * START_GRACE_MS;
  const missing = obligation({ id: 'sss-missing', rule: 'sss-decision', org: 'zko-uralsk-akimat-sss', startText: '2026-03-19T10:00', at: longAgo });
  const running = obligation({ id: 'sss-running', rule: 'sss-decision', org: 'zko-burlin-akimat-sss', startText: '2026-03-19T10:00', at: longAgo });
  const failed = obligation({ id: 'chk-failed', rule: 'offender-check', org: 'zko-uralsk-police-dv', startText: '2026-03-19T10:00', at: longAgo });
  const justOpened = obligation({ id: 'sss-just-opened', rule: 'sss-decision', org: 'zko-uralsk-akimat-sss', startText: '2026-03-19T10:00', at: now - 60_000 });
  const closed = obligation({ id: 'sss-closed', rule: 'sss-decision', org: 'zko-uralsk-akimat-sss', startText: '2026-03-19T10:00', at: longAgo, status: 'done', closedAt: longAgo, closedBy: 'decided' });

  test('restarts a missing or failed timer as the next revision with a restarted event; leaves a running one, a just-opened one and a closed one alone', async () => {
    await open(store, missing, running, failed, justOpened, closed);
    await executions.start(running);
    await executions.start(failed);
    await clock.settle();
    expect(await executions.status(running, 1)).toBe('RUNNING');
    expect(await executions.status(failed, 1)).toBe('FAILED');

    const summary = await reconcile(context);
    expect(summary).toEqual({ checked: 4, restarted: ['chk-failed', 'sss-missing'] });

    const restarted = await store.obligations.getObligation(missing.id);
    expect(restarted).toMatchObject({ revision: 2, version: 2, status: 'open', updatedAt: now, dueAt: missing.dueAt });
    expect(await executions.status(missing, 2)).toBe('RUNNING');
    expect(await store.obligations.events(missing.id)).toEqual([
      expect.objectContaining({ type: 'restarted', revision: 2, by: 'merzim', at: now, details: { previousRevision: 1, previousStatus: 'MISSING' } }),
    ]);
    expect(await store.obligations.events(failed.id)).toEqual([expect.objectContaining({ type: 'restarted', details: { previousRevision: 1, previousStatus: 'FAILED' } })]);

    expect(await store.obligations.getObligation(running.id)).toMatchObject({ revision: 1, version: 1 });
    expect(await store.obligations.events(running.id)).toEqual([]);
    expect(await store.obligations.getObligation(justOpened.id)).toMatchObject({ revision: 1 });

    // The restarted timer now runs: a second pass restarts only the one whose machine keeps failing.
    expect(await reconcile(context)).toEqual({ checked: 4, restarted: ['chk-failed'] });
    expect(await store.obligations.getObligation(missing.id)).toMatchObject({ revision: 2 });
  });
});

describe('reconcile reads each live obligation eventually consistent first', () => {
  test('a stale first look (an earlier revision, its timer gone) restarts nothing: the write fails on the version, and the consistent second look finds the running revision', async () => {
    const longAgo = now - 2 * START_GRACE_MS;
    const base = obligation({ id: 'sss-replanned', rule: 'sss-decision', org: 'zko-uralsk-akimat-sss', startText: '2026-03-19T10:00', at: longAgo });
    const current = { ...base, revision: 2, version: 2 };
    await open(store, current);
    await executions.start(current);
    await clock.settle();
    expect(await executions.status(current, 2)).toBe('RUNNING');
    const looks: boolean[] = [];
    const getObligation = async (id: string, options: { consistent?: boolean } = {}) => {
      looks.push(options.consistent ?? true);
      // What an eventually consistent read may still return: the item before the re-plan.
      return options.consistent === false ? { ...current, revision: 1, version: 1 } : store.obligations.getObligation(id, options);
    };
    const bound = <T extends object>(target: T, override: Partial<Record<string | symbol, unknown>>): T =>
      new Proxy(target, {
        get: (object, property) => {
          if (property in override) return override[property];
          const value: unknown = Reflect.get(object, property, object);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
        },
      });
    const stale = bound(store, { obligations: bound(store.obligations, { getObligation }) });
    expect(await reconcile({ ...context, store: stale })).toEqual({ checked: 1, restarted: [] });
    expect(looks).toEqual([false, true]);
    expect(await store.obligations.getObligation(current.id)).toMatchObject({ revision: 2, version: 2 });
    expect(await store.obligations.events(current.id)).toEqual([]);
  });
});

describe('reconcile from the obligation item, not from execution history', () => {
  const longAgo = now - 200 * 86_400_000;

  test('an obligation overdue, its ladder run to the end 200 days ago, whose executions are gone, is neither looked up nor restarted', async () => {
    const finished = obligation({
      id: 'sss-escalated',
      rule: 'sss-decision',
      org: 'zko-uralsk-akimat-sss',
      startText: '2025-08-25T10:00',
      at: longAgo,
      status: 'overdue',
      timer: { revision: 1, segment: 1, finished: true },
    });
    await open(store, finished);
    expect(await executions.status(finished, 1)).toBeUndefined();
    const looked: string[] = [];
    const watching = Object.assign(Object.create(executions) as Executions, {
      status: async (...args: Parameters<Executions['status']>) => {
        looked.push(args[0].id);
        return executions.status(...args);
      },
    });
    expect(await reconcile({ ...context, executions: watching })).toEqual({ checked: 1, restarted: [] });
    expect(looked).toEqual([]);
    expect(await store.obligations.getObligation(finished.id)).toMatchObject({ revision: 1, version: 1 });
  });

  test('a chain is checked at the segment the item names: running, it is left alone; gone, it is restarted from the stored plan', async () => {
    const chained = (id: string) =>
      obligation({ id, rule: 'sss-decision', org: 'zko-uralsk-akimat-sss', startText: '2026-03-19T10:00', at: now - 2 * START_GRACE_MS, timer: { revision: 1, segment: 2 } });
    const running = chained('sss-chain-running');
    const gone = chained('sss-chain-gone');
    await open(store, running, gone);
    await executions.start(running);
    await clock.settle();
    expect(await executions.status(running, 1)).toBe('RUNNING');
    // Started under the segment's name, with every instant of the stored plan in its input.
    const described = await service.sfn.send(new DescribeExecutionCommand({ executionArn: executions.arnOf(running, 1) }));
    expect(described.name).toBe('sss-chain-running-r1-s2');
    expect(JSON.parse(described.input ?? '{}')).toEqual({ obligationId: running.id, revision: 1, segment: 2, at: slotTimes(findRule('sss-decision'), running.plan, now) });
    // Its first segment never ran here: only the one the item names is looked at.
    const { timer: _segment2, ...firstSegment } = running;
    expect(await executions.status(firstSegment, 1)).toBeUndefined();

    expect(await reconcile(context)).toEqual({ checked: 2, restarted: [gone.id] });
    expect(await store.obligations.events(gone.id)).toEqual([
      expect.objectContaining({ type: 'restarted', revision: 2, details: { previousRevision: 1, previousSegment: 2, previousStatus: 'MISSING' } }),
    ]);
    // The new revision starts again at its first segment.
    expect(await executions.status(gone, 2)).toBe('RUNNING');
  });
});

describe('provision', () => {
  test('the quarter that ends next, at 00:00 Astana time', () => {
    expect(quarterEnd('2026-01-01')).toBe('2026-03-31');
    expect(quarterEnd('2026-03-31')).toBe('2026-03-31');
    expect(quarterEnd('2026-04-01')).toBe('2026-06-30');
    expect(quarterEnd('2026-11-15')).toBe('2026-12-31');
    expect(quarterlyReportStart(now)).toBe(parseInstant('2026-03-31T00:00+05:00'));
    // 31 March 23:30 in Astana is still the first quarter, though it is 18:30 UTC.
    expect(quarterlyReportStart(parseInstant('2026-03-31T23:30+05:00'))).toBe(parseInstant('2026-03-31T00:00+05:00'));
  });

  test('opens one quarterly report per police unit and regional department with its timer; a second run opens none', async () => {
    const first = await provisionQuarterlyReports(context);
    expect(first).toEqual({ opened: ['uqr-zko-burlin-police-dv', 'uqr-zko-police', 'uqr-zko-uralsk-police-dv'], existing: 0 });

    const district = await store.obligations.getObligation('uqr-zko-uralsk-police-dv');
    expect(district).toMatchObject({
      rule: 'unit-quarterly-report',
      variant: 'district',
      caseRef: 'quarterly-report',
      org: 'zko-uralsk-police-dv',
      issuedBy: 'zko-police',
      start: parseInstant('2026-03-31T00:00+05:00'),
      status: 'open',
      revision: 1,
      createdBy: 'merzim',
    });
    // District units report by the 5th (a Sunday in April 2026: the next working day).
    expect(district?.plan.dueDate).toBe('2026-04-06');
    const region = await store.obligations.getObligation('uqr-zko-police');
    expect(region).toMatchObject({ variant: 'region', org: 'zko-police', issuedBy: 'mvd-kap' });
    expect(region?.plan.dueDate).toBe('2026-04-10');
    expect(await store.obligations.events('uqr-zko-police')).toEqual([expect.objectContaining({ type: 'opened', by: 'merzim' })]);
    expect(await executions.status({ id: 'uqr-zko-police', rule: 'unit-quarterly-report' }, 1)).toBe('RUNNING');
    expect((await store.obligations.list({ by: 'issuer', key: 'zko-police', state: 'open', asOf: now, dueFrom: 0 })).items.map((item) => item.id).sort()).toEqual([
      'uqr-zko-burlin-police-dv',
      'uqr-zko-uralsk-police-dv',
    ]);

    const second = await provisionQuarterlyReports({ ...context, now: () => now + 86_400_000 });
    expect(second).toEqual({ opened: [], existing: 3 });
    expect(await store.obligations.getObligation('uqr-zko-police')).toMatchObject({ version: 1, createdAt: now });
  });
});
