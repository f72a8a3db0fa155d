import { SYSTEM_USER, localDateOf } from '../../shared/base/index.ts';
import { type Obligation, auditEntry } from '../../shared/model/index.ts';
import { planOf } from '../../shared/obligations/index.ts';
import { type Plan, findRule, samePlan } from '../../shared/rules/index.ts';
import { LIVE_SHARDS } from '../adapters/store/index.ts';
import { type AppContext, type Caller, startNewTimers } from './context.ts';
import { replanned, withFreshObligation } from './obligations.ts';

/**
 * A calendar override (a late decree, a moved holiday) can move deadlines that are already
 * running. Every obligation with a timer whose plan spans the changed date is planned again; the
 * ones whose plan really moves get a new revision on a new timer. Returns how many moved.
 */
export async function replanAfterCalendarChange(context: AppContext, date: string, caller?: Caller): Promise<number> {
  const calendar = await context.calendar();
  let moved = 0;
  for (let shard = 0; shard < LIVE_SHARDS; shard += 1) {
    for (const id of await context.store.obligations.liveObligationIds(shard)) {
      const changed = await withFreshObligation(context, id, async (current) => {
        if (!spans(current, date) || (current.status !== 'open' && current.status !== 'overdue')) return false;
        const rule = findRule(current.rule, current.ruleVersion);
        const plan = planOf(rule, current, calendar);
        const now = context.now();
        if (plan.dueAt === current.dueAt && samePlan(plan, current.plan)) {
          // Nothing moves, but a projected day the deadline rested on may now be a fact (an
          // override, a decree): the stored plan says so, on the same revision and timer.
          if (restsOn(plan) !== restsOn(current.plan)) {
            await context.store.obligations.saveObligation({ ...current, plan, updatedAt: now, version: current.version + 1 }, current.version);
          }
          return false;
        }
        const next = replanned(rule, { ...current, updatedAt: now, version: current.version + 1 }, calendar, now);
        await context.store.obligations.saveObligation(next, current.version, [
          auditEntry(next, 'replanned', {
            at: now,
            recordedAt: now,
            by: caller?.user ?? SYSTEM_USER,
            seq: next.version * 10,
            details: { calendarDate: date, dueAt: new Date(next.dueAt).toISOString(), previousDueAt: new Date(current.dueAt).toISOString() },
          }),
        ]);
        await context.executions.stop(current, current.revision, `calendar changed on ${date}`);
        await startNewTimers(context, [next]);
        return true;
      });
      if (changed) moved += 1;
    }
  }
  return moved;
}

/** The projected days a plan rests on, as they stand, whatever the order of a stored item's keys. */
function restsOn(plan: Plan): string {
  return (plan.projectedDays ?? []).map((day) => `${day.date}:${day.working}:${day.basis}`).join(' ');
}

/** Whether a date lies between an obligation's start and its last milestone. */
function spans(obligation: Obligation, date: string): boolean {
  const last = Math.max(obligation.dueAt, ...obligation.plan.milestones.map((milestone) => milestone.at));
  return localDateOf(obligation.start) <= date && date <= localDateOf(last);
}
