import { createHash, randomBytes } from 'node:crypto';
import { localDateOf } from '../../shared/calendar/instant.ts';
import type { WorkingDayCalendar } from '../../shared/calendar/working-day-calendar.ts';
import type { Obligation, ObligationEvent, EventType, OpenObligationRequest, RecordActRequest } from '../../shared/model/obligation.ts';
import { type ActEffect, effectOf, planOf } from '../../shared/obligations/lifecycle.ts';
import { findRule } from '../../shared/rules/catalog.ts';
import type { Rule } from '../../shared/rules/rule.ts';
import { IdempotencyKeyBusyError, IdempotencyKeyUsedError, StaleObligationError } from '../adapters/store.ts';
import type { AppContext, Caller } from './context.ts';
import { ConflictError, NotFoundError } from './errors.ts';

/** How long an Idempotency-Key is remembered: a day covers any client's retries. */
const IDEMPOTENCY_TTL_S = 24 * 3600;

/** A time-ordered id: `o` + base-36 milliseconds + 8 random characters. */
export function newObligationId(at: number): string {
  const random = [...randomBytes(8)].map((byte) => (byte % 36).toString(36)).join('');
  return `o${at.toString(36)}${random}`;
}

export function event(
  obligation: Obligation,
  type: EventType,
  fields: { at: number; recordedAt: number; by: string; seq: number } & Partial<Pick<ObligationEvent, 'reason' | 'note' | 'details'>>,
): ObligationEvent {
  return { obligationId: obligation.id, type, revision: obligation.revision, cycle: obligation.cycle, ...fields };
}

interface Draft {
  readonly base: Omit<Obligation, 'id' | 'plan' | 'dueAt' | 'ruleVersion'>;
  readonly rule: Rule;
}

/** The obligations one opening makes: one per addressee, an order's checks, a submission's measures. */
function draftsOf(request: OpenObligationRequest, caller: Caller, at: number): Draft[] {
  const rule = findRule(request.rule);
  const orgs = request.addressees ?? (request.org === undefined ? [] : [request.org]);
  const common = {
    caseRef: request.caseRef,
    ...(request.issuedBy === undefined ? {} : { issuedBy: request.issuedBy }),
    ...(request.assignee === undefined ? {} : { assignee: request.assignee }),
    start: request.start,
    status: 'open' as const,
    revision: 1,
    cycle: 1,
    createdAt: at,
    createdBy: caller.user,
    updatedAt: at,
    version: 1,
  };
  return orgs.flatMap((org): Draft[] => {
    const main: Draft = {
      rule,
      base: {
        ...common,
        rule: rule.id,
        org,
        ...(request.variant === undefined ? {} : { variant: request.variant }),
        ...(request.count === undefined ? {} : { count: request.count }),
        ...(request.dueDate === undefined ? {} : { dueDate: request.dueDate }),
        ...(request.until === undefined ? {} : { until: request.until }),
      },
    };
    const companions: Draft[] = [];
    // Serving an order puts the offender on the register: his weekly checks start with it.
    if (rule.id === 'protective-order') {
      companions.push({ rule: findRule('offender-check'), base: { ...common, rule: 'offender-check', org } });
    }
    for (const measure of request.measures ?? []) {
      companions.push({
        rule: findRule('submission-measure'),
        base: { ...common, rule: 'submission-measure', org, label: measure.item, dueDate: measure.dueDate },
      });
    }
    return [main, ...companions];
  });
}

export interface Opened {
  readonly obligations: readonly Obligation[];
  /** True when an earlier request with the same Idempotency-Key opened them. */
  readonly replayed: boolean;
}

/**
 * Opens the obligations a request asks for, all or none, and starts their timers. With an
 * Idempotency-Key, a repeat of the same request returns what the first one opened.
 */
export async function openObligations(
  context: AppContext,
  caller: Caller,
  request: OpenObligationRequest,
  idempotencyKey?: string,
): Promise<Opened> {
  const at = context.now();
  const calendar = await context.calendar();
  const drafts = draftsOf(request, caller, at);
  const obligations: Obligation[] = [];
  let parentId: string | undefined;
  for (const { base, rule } of drafts) {
    const id = newObligationId(at);
    const isMain = base.rule === request.rule;
    if (isMain) parentId = id;
    const plan = planOf(rule, base, calendar);
    obligations.push({
      ...base,
      id,
      ruleVersion: rule.version,
      ...(isMain || parentId === undefined ? {} : { parentId }),
      plan,
      dueAt: plan.dueAt,
    });
  }
  const openings = obligations.map((obligation) => ({
    obligation,
    events: [event(obligation, 'opened', { at: obligation.start, recordedAt: at, by: caller.user, seq: 0, details: { dueAt: new Date(obligation.dueAt).toISOString() } })],
  }));

  const key = idempotencyKey === undefined ? undefined : `${caller.user}#${idempotencyKey}`;
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  const record =
    key === undefined
      ? undefined
      : { key, requestHash, obligationIds: obligations.map((obligation) => obligation.id), createdAt: at, expiresAt: Math.floor(at / 1000) + IDEMPOTENCY_TTL_S };
  // The record is written in the same transaction as the obligations: whoever finds it finds
  // them. A duplicate that arrives while the first is being written is told so (busy) and waits
  // for the first's record rather than failing: every copy gets the first's answer.
  for (let attempt = 0; ; attempt += 1) {
    try {
      await context.store.openObligations(openings, record);
      break;
    } catch (error) {
      if (key === undefined) throw error;
      if (error instanceof IdempotencyKeyUsedError) return replay(context, key, requestHash, error);
      if (!(error instanceof IdempotencyKeyBusyError) || attempt >= BUSY_WAITS_MS.length) throw error;
      await sleep((BUSY_WAITS_MS[attempt] ?? 0) * (0.5 + Math.random()));
      if ((await context.store.idempotencyRecord(key)) !== undefined) return replay(context, key, requestHash, error);
    }
  }
  await Promise.all(obligations.map((obligation) => context.executions.start(obligation)));
  return { obligations, replayed: false };
}

/** How long a duplicate waits, between tries, for the request it duplicates (about 3 s in all). */
const BUSY_WAITS_MS = [20, 40, 80, 160, 320, 640, 1280] as const;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What an earlier request with the same key opened, if it was the same request. */
async function replay(context: AppContext, key: string, requestHash: string, cause: Error): Promise<Opened> {
  const record = await context.store.idempotencyRecord(key);
  if (record === undefined) throw cause;
  if (record.requestHash !== requestHash) {
    throw new ConflictError('this Idempotency-Key was used for another request: use a new key for a new request');
  }
  const earlier = (await Promise.all(record.obligationIds.map((id) => context.store.getObligation(id)))).filter(
    (obligation): obligation is Obligation => obligation !== undefined,
  );
  // The first request may have stopped before its timers started. Execution names are
  // `<id>-r<revision>`: starting one that runs already starts nothing.
  await Promise.all(earlier.filter((obligation) => obligation.status === 'open').map((obligation) => context.executions.start(obligation)));
  return { obligations: earlier, replayed: true };
}

export async function getObligation(context: AppContext, id: string): Promise<Obligation> {
  const obligation = await context.store.getObligation(id);
  if (obligation === undefined) throw new NotFoundError(`no obligation ${id}`);
  return obligation;
}

/** Records an act and carries out what it means: close, next cycle, new plan. */
export async function recordAct(context: AppContext, caller: Caller, id: string, request: RecordActRequest): Promise<Obligation> {
  return withFreshObligation(context, id, async (obligation) => {
    const rule = findRule(obligation.rule);
    const now = context.now();
    const at = request.at ?? now;
    const effect = effectOf(rule, obligation, { act: request.act, at, ...(request.dueDate === undefined ? {} : { dueDate: request.dueDate }), ...(request.start === undefined ? {} : { start: request.start }) });
    const calendar = await context.calendar();
    const next = applyEffect(rule, obligation, effect, { now, act: request.act, calendar });
    const actEvent = event(next, request.act, {
      at,
      recordedAt: now,
      by: caller.user,
      seq: next.version * 10,
      ...(request.reason === undefined ? {} : { reason: request.reason }),
      ...(request.note === undefined ? {} : { note: request.note }),
      ...(request.dueDate === undefined ? {} : { details: { dueDate: request.dueDate } }),
    });
    // The act belongs to the revision and cycle it closed.
    const events = [{ ...actEvent, revision: obligation.revision, cycle: obligation.cycle }];
    if (next.revision !== obligation.revision) {
      events.push(
        event(next, effect.kind === 'next-cycle' ? 'cycle-opened' : 'replanned', {
          at: now,
          recordedAt: now,
          by: caller.user,
          seq: next.version * 10 + 1,
          details: { dueAt: new Date(next.dueAt).toISOString(), previousDueAt: new Date(obligation.dueAt).toISOString() },
        }),
      );
    }
    await context.store.saveObligation(next, obligation.version, events);
    if (effect.kind === 'close' || next.revision !== obligation.revision) {
      await context.executions.stop(obligation, obligation.revision, `${request.act} recorded`);
    }
    if (next.revision !== obligation.revision) await context.executions.start(next);
    return next;
  });
}

function applyEffect(
  rule: Rule,
  obligation: Obligation,
  effect: ActEffect,
  { now, act, calendar }: { now: number; act: RecordActRequest['act']; calendar: WorkingDayCalendar },
): Obligation {
  const touched = { ...obligation, updatedAt: now, version: obligation.version + 1 };
  switch (effect.kind) {
    case 'close':
      return { ...touched, status: effect.status, closedAt: now, closedBy: act };
    case 'cycle-done':
      return { ...touched, status: 'done', closedBy: act };
    case 'next-cycle':
      return replanned(rule, { ...touched, start: effect.start, cycle: obligation.cycle + 1 }, calendar, now);
    case 'replan':
      return replanned(
        rule,
        {
          ...touched,
          ...(effect.start === undefined ? {} : { start: effect.start }),
          ...(effect.extendedTo === undefined ? {} : { extendedTo: effect.extendedTo }),
        },
        calendar,
        now,
      );
  }
}

/** A new revision from a recomputed plan: open again unless its deadline has passed already. */
export function replanned(rule: Rule, obligation: Obligation, calendar: WorkingDayCalendar, now: number): Obligation {
  const plan = planOf(rule, obligation, calendar);
  const { closedBy: _closedBy, closedAt: _closedAt, ...rest } = obligation;
  return { ...rest, plan, dueAt: plan.dueAt, revision: obligation.revision + 1, status: plan.dueAt > now ? 'open' : 'overdue' };
}

/** Runs a change on the obligation as stored, again on a fresh read if someone wrote it meanwhile. */
export async function withFreshObligation<T>(context: AppContext, id: string, change: (obligation: Obligation) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const obligation = await getObligation(context, id);
    try {
      return await change(obligation);
    } catch (error) {
      if (!(error instanceof StaleObligationError) || attempt >= 3) throw error;
    }
  }
}

/** Whether an instant falls after the last day of an obligation's recurrence (`until`), if it has one. */
export function pastUntil(obligation: Pick<Obligation, 'until'>, instant: number): boolean {
  return obligation.until !== undefined && localDateOf(instant) > obligation.until;
}
