import { createHash, randomBytes } from 'node:crypto';
import { type Party, localDateOf } from '../../shared/base/index.ts';
import { isToldAct } from '../../shared/i18n/index.ts';
import type { WorkingDayCalendar } from '../../shared/calendar/index.ts';
import { type Obligation, type ObligationEvent, type OpenObligationRequest, type RecordActRequest, auditEntry } from '../../shared/model/index.ts';
import { type ActEffect, ActRefusedError, type ObligationChanges, assertMayRecord, effectOf, planOf } from '../../shared/obligations/index.ts';
import { type Rule, findRule, ruleInForce } from '../../shared/rules/index.ts';
import { IdempotencyKeyBusyError, IdempotencyKeyUsedError, ObligationExistsError, type Opening, StaleObligationError, TRANSACTION_ITEMS, itemsOf } from '../adapters/store/index.ts';
import { audienceDetails, audienceOf, tellOfAct } from './act-notices.ts';
import { type AppContext, type Caller, startNewTimers } from './context.ts';
import { ConflictError, NotFoundError } from './errors.ts';

/** How long an Idempotency-Key is remembered: a day covers any client's retries. */
const IDEMPOTENCY_TTL_S = 24 * 3600;

/** A time-ordered id: `o` + base-36 milliseconds + 8 random characters. */
export function newObligationId(at: number): string {
  const random = [...randomBytes(8)].map((byte) => (byte % 36).toString(36)).join('');
  return `o${at.toString(36)}${random}`;
}

interface Draft {
  readonly base: Omit<Obligation, 'id' | 'plan' | 'dueAt' | 'ruleVersion'>;
  readonly rule: Rule;
}

/** The obligations one opening makes: one per addressee, an order's checks, a submission's measures. */
function draftsOf(request: OpenObligationRequest, caller: Caller, at: number): Draft[] {
  // The version in force on the day the clock starts; none is refused naming the day and the act that brings it in.
  const startDate = localDateOf(request.start);
  const rule = ruleInForce(request.rule, startDate);
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
        ...(request.label === undefined ? {} : { label: request.label }),
        ...(request.title === undefined ? {} : { title: request.title }),
      },
    };
    // The rules opened with this one, as the catalog names them: an order's first check, a submission's measures.
    const companions = (rule.companions ?? []).flatMap(({ rule: id, per }): Draft[] => {
      const companion = ruleInForce(id, startDate);
      if (per === 'opening') return [{ rule: companion, base: { ...common, rule: companion.id, org } }];
      return (request.measures ?? []).map((measure) => ({
        rule: companion,
        base: { ...common, rule: companion.id, org, label: measure.item, dueDate: measure.dueDate },
      }));
    });
    return [main, ...companions];
  });
}

/**
 * The obligations a request would open, with their plans, written nowhere: what opening them
 * writes, and what the dashboard shows before anyone confirms (POST /plans/preview).
 */
export async function draftObligations(
  context: AppContext,
  caller: Caller,
  request: OpenObligationRequest,
  at: number = context.now(),
  /** The ids an earlier attempt of the same request gave them, in order: its record's. */
  ids?: readonly string[],
): Promise<Obligation[]> {
  const calendar = await context.calendar();
  const obligations: Obligation[] = [];
  let parentId: string | undefined;
  for (const [index, { base, rule }] of draftsOf(request, caller, at).entries()) {
    const id = ids?.[index] ?? newObligationId(at);
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
  return obligations;
}

export interface Opened {
  readonly obligations: readonly Obligation[];
  /** True when an earlier request with the same Idempotency-Key opened them. */
  readonly replayed: boolean;
}

/**
 * Opens the obligations a request asks for and starts their timers. With an Idempotency-Key, a
 * repeat of the same request returns what the first one opened.
 *
 * A request may open more than one transaction holds (30 addressees, or 5 bodies with 20
 * measures each: store.obligations.openObligations writes in chunks). Such a request is kept idempotent as a
 * whole: its record goes with the first chunk and names every obligation with its id, and the
 * same request again (same key) writes what is missing, under those ids, and opens nothing twice.
 * Without a key, a request too long for one transaction is keyed by its own content (the caller
 * and the request's digest) for the same 24 hours: sent again after a failure part-way, it
 * completes the set rather than opening a second one.
 */
export async function openObligations(
  context: AppContext,
  caller: Caller,
  request: OpenObligationRequest,
  idempotencyKey?: string,
): Promise<Opened> {
  const at = context.now();
  const obligations = await draftObligations(context, caller, request, at);
  const openings = openingsOf(obligations, caller, at);

  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  const implicit = idempotencyKey === undefined && itemsOf(openings) > TRANSACTION_ITEMS;
  const key = idempotencyKey !== undefined ? `${caller.user}#${idempotencyKey}` : implicit ? `${caller.user}#request:${requestHash}` : undefined;
  const record =
    key === undefined
      ? undefined
      : { key, requestHash, obligationIds: obligations.map((obligation) => obligation.id), createdAt: at, expiresAt: Math.floor(at / 1000) + IDEMPOTENCY_TTL_S };
  // The record is written in the same transaction as the first obligations: whoever finds it finds
  // them, or learns which are missing. A duplicate that arrives while the first is being written
  // is told so (busy) and waits for the first's record rather than failing: every copy gets the
  // first's answer.
  for (let attempt = 0; ; attempt += 1) {
    try {
      await context.store.obligations.openObligations(openings, record);
      break;
    } catch (error) {
      if (key === undefined) throw error;
      // Used: an earlier copy wrote the record. Exists: a copy completing this request wrote a later chunk first.
      if (error instanceof IdempotencyKeyUsedError || error instanceof ObligationExistsError) return replay(context, caller, request, key, requestHash, error);
      if (!(error instanceof IdempotencyKeyBusyError) || attempt >= BUSY_WAITS_MS.length) throw error;
      await sleep((BUSY_WAITS_MS[attempt] ?? 0) * (0.5 + Math.random()));
      if ((await context.store.idempotency.idempotencyRecord(key)) !== undefined) return replay(context, caller, request, key, requestHash, error);
    }
  }
  await startNewTimers(context, obligations);
  return { obligations, replayed: false };
}

/** Each obligation with its `opened` entry. */
function openingsOf(obligations: readonly Obligation[], caller: Caller, at: number): Opening[] {
  return obligations.map((obligation) => ({
    obligation,
    events: [auditEntry(obligation, 'opened', { at: obligation.start, recordedAt: at, by: caller.user, seq: 0, details: { dueAt: new Date(obligation.dueAt).toISOString() } })],
  }));
}

/** How long a duplicate waits, between tries, for the request it duplicates (about 3 s in all). */
const BUSY_WAITS_MS = [20, 40, 80, 160, 320, 640, 1280] as const;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What an earlier request with the same key opened, if it was the same request. When the earlier
 * one stopped part-way, the obligations it did not write are drafted again as it drafted them (its
 * instant, its ids) and written now; another copy writing them at the same moment only makes
 * this one read again what is still missing.
 */
async function replay(context: AppContext, caller: Caller, request: OpenObligationRequest, key: string, requestHash: string, cause: Error): Promise<Opened> {
  const record = await context.store.idempotency.idempotencyRecord(key);
  if (record === undefined) throw cause;
  if (record.requestHash !== requestHash) {
    throw new ConflictError('this Idempotency-Key was used for another request: use a new key for a new request');
  }
  const read = async (): Promise<(Obligation | undefined)[]> => Promise.all(record.obligationIds.map((id) => context.store.obligations.getObligation(id)));
  let found = await read();
  let completed = false;
  for (let attempt = 0; found.some((obligation) => obligation === undefined); attempt += 1) {
    if (attempt > BUSY_WAITS_MS.length) throw cause;
    const drafts = await draftObligations(context, caller, request, record.createdAt, record.obligationIds);
    const missing = drafts.filter((_, index) => found[index] === undefined);
    try {
      await context.store.obligations.openObligations(openingsOf(missing, caller, record.createdAt));
      completed = true;
    } catch (error) {
      if (!(error instanceof ObligationExistsError)) throw error;
    }
    found = await read();
  }
  const earlier = found.filter((obligation): obligation is Obligation => obligation !== undefined);
  // The first request may have stopped before its timers started (the stream starts every
  // obligation written). Execution names are `<id>-r<revision>`: starting one that runs already starts nothing.
  await startNewTimers(context, earlier.filter((obligation) => obligation.status === 'open'));
  return { obligations: earlier, replayed: !completed };
}

export async function getObligation(context: AppContext, id: string): Promise<Obligation> {
  const obligation = await context.store.obligations.getObligation(id);
  if (obligation === undefined) throw new NotFoundError(`no obligation ${id}`);
  return obligation;
}

/** What recordAct needs to know of the caller beyond the token: what they are to an obligation. */
export interface Standing {
  parties(obligation: Obligation): Promise<ReadonlySet<Party>>;
}

/** What recording an act gives back: the obligation as it now stands, and one it opened (an order renewed). */
export interface Recorded {
  readonly obligation: Obligation;
  readonly opened?: Obligation;
}

/**
 * Records an act and carries out what it means: close, next cycle, new plan, a hand-over, a
 * renewal. Refused, it writes nothing: the caller's power first (the catalog's authority), then
 * the obligation's state, then the act's own values and time.
 */
export async function recordAct(context: AppContext, caller: Caller, standing: Standing, id: string, request: RecordActRequest): Promise<Recorded> {
  return withFreshObligation(context, id, async (obligation) => {
    const rule = findRule(obligation.rule, obligation.ruleVersion);
    const parties = await standing.parties(obligation);
    assertMayRecord(rule, request.act, parties);
    const now = context.now();
    const at = request.at ?? now;
    const effect = effectOf(rule, obligation, {
      act: request.act,
      at,
      now,
      user: caller.user,
      parties,
      ...optional({ reason: request.reason, dueDate: request.dueDate, start: request.start, org: request.org, assignee: request.assignee }),
    });
    if (effect.kind === 'keep') await checkTargets(context, obligation, effect.changes);
    const calendar = await context.calendar();
    const next = applyEffect(rule, obligation, effect, { now, act: request.act, calendar });
    // Who is told at once is known before the act is written, so that its audit entry says so.
    const told = isToldAct(request.act) ? { act: request.act, audience: await audienceOf(context.store.directory, rule, next, request.act) } : undefined;
    const actEvent = auditEntry(next, request.act, {
      at,
      recordedAt: now,
      by: caller.user,
      seq: next.version * 10,
      ...optional({ reason: request.reason, note: request.note }),
      details: { ...actDetails(obligation, next, request), ...(told === undefined ? {} : audienceDetails(told.audience)) },
    });
    // The act belongs to the revision and cycle it closed.
    const events = [{ ...actEvent, revision: obligation.revision, cycle: obligation.cycle }];
    if (next.revision !== obligation.revision) {
      events.push(
        auditEntry(next, effect.kind === 'next-cycle' ? 'cycle-opened' : 'replanned', {
          at: now,
          recordedAt: now,
          by: caller.user,
          seq: next.version * 10 + 1,
          details: { dueAt: new Date(next.dueAt).toISOString(), previousDueAt: new Date(obligation.dueAt).toISOString() },
        }),
      );
    }
    const renewal = effect.kind === 'renew' ? renewalOf(ruleInForce(rule.id, localDateOf(effect.start)), obligation, next, effect.start, caller, now, calendar) : undefined;
    await context.store.obligations.saveObligation(next, obligation.version, events, renewal === undefined ? [] : [renewal]);
    const stopsTimer = effect.kind === 'close' || effect.kind === 'suspend' || (effect.kind === 'renew' && next.status !== obligation.status);
    if (stopsTimer || next.revision !== obligation.revision) {
      await context.executions.stop(obligation, obligation.revision, `${request.act} recorded`);
    }
    // The superseded timer is stopped here, at once; the new one starts here or from the stream.
    await startNewTimers(context, [...(next.revision !== obligation.revision ? [next] : []), ...(renewal === undefined ? [] : [renewal.obligation])]);
    // After the write: the act stands whatever the mail does (tellOfAct never throws). The mail is
    // reached only when there is someone to tell: a function without it fails that notice, not the act.
    if (told !== undefined) await tellOfAct({ store: context.store, get mail() { return context.mail; }, now: context.now }, { ...told, rule, before: obligation, after: next, recordedAt: now });
    return renewal === undefined ? { obligation: next } : { obligation: next, opened: renewal.obligation };
  });
}

/** Only what is given: exactOptionalPropertyTypes keeps `undefined` out of stored records. */
function optional<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** What the audit entry of an act keeps beside its time and author: the old and the new of what it moved. */
function actDetails(before: Obligation, after: Obligation, request: RecordActRequest): NonNullable<ObligationEvent['details']> {
  const details: NonNullable<ObligationEvent['details']> = {};
  if (request.dueDate !== undefined) details['dueDate'] = request.dueDate;
  if (request.act === 'start-corrected') {
    details['previousStart'] = new Date(before.start).toISOString();
    details['start'] = new Date(after.start).toISOString();
    details['previousDueAt'] = new Date(before.dueAt).toISOString();
    details['dueAt'] = new Date(after.dueAt).toISOString();
  }
  if (before.org !== after.org) {
    details['fromOrg'] = before.org;
    details['toOrg'] = after.org;
  }
  if (before.issuedBy !== after.issuedBy && after.issuedBy !== undefined) {
    if (before.issuedBy !== undefined) details['fromIssuer'] = before.issuedBy;
    details['toIssuer'] = after.issuedBy;
  }
  if (before.assignee !== after.assignee && after.assignee !== undefined) details['assignee'] = after.assignee;
  if (after.renewedBy !== undefined && before.renewedBy === undefined) details['renewedBy'] = after.renewedBy;
  return details;
}

/**
 * A hand-over goes to a unit of the directory of the same kind as the one it leaves (an
 * offender's new district police, another commission); a reassignment to a member of the unit.
 */
async function checkTargets(context: AppContext, obligation: Obligation, changes: ObligationChanges): Promise<void> {
  for (const [field, to, from] of [
    ['org', changes.org, obligation.org],
    ['org', changes.issuedBy, obligation.issuedBy],
  ] as const) {
    if (to === undefined) continue;
    const [target, current] = await Promise.all([context.store.directory.organisation(to), from === undefined ? undefined : context.store.directory.organisation(from)]);
    if (target === undefined) throw new ActRefusedError(`${to} is not a unit of the directory`, 'invalid', field);
    if (current !== undefined && target.kind !== current.kind) {
      throw new ActRefusedError(`a case is handed over to a unit of the same kind: ${to} is a ${target.kind}, ${from ?? ''} a ${current.kind}`, 'invalid', field);
    }
  }
  if (changes.assignee !== undefined && changes.assignee !== null) {
    const members = await context.store.directory.members(obligation.org);
    if (!members.some((member) => member.user === changes.assignee)) {
      throw new ActRefusedError(`${changes.assignee} is not a member of ${obligation.org}`, 'invalid', 'assignee');
    }
  }
}

/** An order served again: a new obligation of the same rule from the new service, linked both ways. */
function renewalOf(
  rule: Rule,
  previous: Obligation,
  renewed: Obligation,
  start: number,
  caller: Caller,
  now: number,
  calendar: WorkingDayCalendar,
): { obligation: Obligation; events: ObligationEvent[] } {
  const id = renewed.renewedBy ?? newObligationId(now);
  const base = {
    caseRef: previous.caseRef,
    org: previous.org,
    ...optional({ issuedBy: previous.issuedBy, assignee: previous.assignee, variant: previous.variant, count: previous.count }),
    rule: rule.id,
    start,
    status: 'open' as const,
    revision: 1,
    cycle: 1,
    createdAt: now,
    createdBy: caller.user,
    updatedAt: now,
    version: 1,
    renewedFrom: previous.id,
  };
  const plan = planOf(rule, base, calendar);
  const obligation: Obligation = { ...base, id, ruleVersion: rule.version, plan, dueAt: plan.dueAt, status: plan.dueAt > now ? 'open' : 'overdue' };
  const opened = auditEntry(obligation, 'opened', {
    at: start,
    recordedAt: now,
    by: caller.user,
    seq: 0,
    details: { dueAt: new Date(obligation.dueAt).toISOString(), renewedFrom: previous.id },
  });
  return { obligation, events: [opened] };
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
    case 'replan': {
      // An extension answers any request for time.
      const { requestedDueDate: _answered, ...rest } = touched;
      return replanned(
        rule,
        {
          ...(effect.extendedTo === undefined ? touched : rest),
          ...(effect.start === undefined ? {} : { start: effect.start }),
          ...(effect.extendedTo === undefined ? {} : { extendedTo: effect.extendedTo }),
        },
        calendar,
        now,
      );
    }
    case 'keep':
      return withChanges(touched, effect.changes);
    case 'suspend':
      return { ...touched, status: 'suspended' };
    case 'renew': {
      const linked = { ...touched, renewedBy: newObligationId(now) };
      // A running order breached and served again ends here; a lapsed one keeps its status.
      return obligation.status === 'expired' ? linked : { ...linked, status: 'done', closedAt: now, closedBy: act };
    }
  }
}

function withChanges(obligation: Obligation, changes: ObligationChanges): Obligation {
  const next: Record<string, unknown> = { ...obligation };
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  return next as Obligation;
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
