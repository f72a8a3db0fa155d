import { byDue, section } from './cards.ts';
import type { ViewContext } from './context.ts';
import { localDate } from './format.ts';
import { t } from './i18n.ts';
import type { Obligation } from './types.ts';

/** The work lists of those who act: the akimat department and the inspector. */

const WEEK_DAYS = 7;
/** Offenders due for a check: the check is due within this many days (or overdue). */
const CHECK_DAYS = 2;
/** Protective orders expiring soon: within 72 hours, the catalog's reminder. */
const ORDER_DAYS = 3;

async function ownWork(context: ViewContext, withinDays: number): Promise<{ overdue: Obligation[]; soon: Obligation[] }> {
  const org = context.session.org;
  const [overdue, soon] = await Promise.all([
    context.api.list<Obligation>({ org, status: 'overdue' }),
    context.api.list<Obligation>({ org, status: 'due-soon', within: String(withinDays) }),
  ]);
  return { overdue: overdue.sort(byDue), soon: soon.sort(byDue) };
}

/** Akimat department: decisions overdue, due today, due this week. */
export async function deskView(context: ViewContext): Promise<HTMLElement[]> {
  const m = t();
  const { overdue, soon } = await ownWork(context, WEEK_DAYS);
  const today = localDate(context.now);
  const dueToday = soon.filter((obligation) => localDate(obligation.dueAt) === today);
  const thisWeek = soon.filter((obligation) => localDate(obligation.dueAt) !== today);
  return [section(m.overdue, overdue, context, {}, 'overdue'), section(m.dueToday, dueToday, context, {}, 'today'), section(m.dueThisWeek, thisWeek, context, {}, 'week')];
}

/** Inspector: offenders due for a check, protective orders expiring, and the rest of the unit's deadlines. */
export async function inspectorView(context: ViewContext): Promise<HTMLElement[]> {
  const m = t();
  const { overdue, soon } = await ownWork(context, ORDER_DAYS);
  const checkBy = context.now + CHECK_DAYS * 86_400_000;
  const checks = [...overdue, ...soon].filter((o) => o.rule === 'offender-check' && (o.status === 'overdue' || Date.parse(o.dueAt) <= checkBy));
  const orders = soon.filter((o) => o.rule === 'protective-order');
  const shown = new Set([...checks, ...orders].map((o) => o.id));
  const other = [...overdue, ...soon].filter((o) => !shown.has(o.id));
  return [
    section(m.checksDue, checks, context, {}, 'checks'),
    section(m.ordersExpiring, orders, context, { expiry: true }, 'orders'),
    section(m.otherWork, other, context, {}, 'other'),
  ];
}
