import { type Instant, type LocalDate, RoleSchema, localDateOf, parseInstant } from '../../shared/base/index.ts';
import type { WorkingDayCalendar } from '../../shared/calendar/index.ts';
import { type Notice, composeMorningMail } from '../../shared/i18n/index.ts';
import { type Obligation, statusAt } from '../../shared/model/index.ts';
import { type Milestone, type Plan, findRule } from '../../shared/rules/index.ts';
import type { Mail } from '../adapters/mail.ts';
import { type NewNoticeRecord, type NoticeRecord, type Store, NOTICE_IN_DOUBT_MS, digestExpiresAt, noticeAddress } from '../adapters/store/index.ts';
import { SCHEDULES } from '../../contract/index.ts';
import { milestoneContext, milestoneNotice, sendOnce } from './deliver.ts';
import { signsIn } from './notice-context.ts';
import { DIGEST_MILESTONE, DUE_SOON_DAYS, type PersonDigest, digestOutboxId, digestsAt } from './digest.ts';
import { DirectoryCache } from './recipients.ts';
import { mapWithConcurrency } from './reconcile.ts';

/**
 * The morning mail: on a working morning, one e-mail per person with everything queued for him
 * since his last one (the reminders and escalations the milestone Tasks queued: functions/app/
 * deliver.ts) and his digest. Nothing on a day off: the queue waits for the next working morning.
 * Nothing to a person with nothing in it.
 *
 * Each notice still goes out once. The morning mail is itself an outbox item (one per person per
 * day, claimed before it is sent); holding its claim, the run writes on each queued notice that
 * this mail carries it, then sends, then marks them sent in batches. A run that finds the mail
 * sent (a retry after a crash) marks sent the notices that name it; a notice that names a mail
 * that never went is carried by the next one.
 */

const MORNING_REVISION = 0;
const CONCURRENCY = 8;
/** Obligations read in one call (BatchGetItem takes up to 100 keys). */
const OBLIGATIONS_PER_READ = 100;

export interface MorningDeps {
  readonly store: Store;
  readonly mail: Mail;
  readonly now: () => number;
  /** Kazakhstan's calendar with the administrator's overrides. */
  calendar(): Promise<WorkingDayCalendar>;
  /** The dashboard's address, for the links in the notices; the functions' environment when not given. */
  readonly dashboardUrl?: string;
}

export interface MorningSummary {
  readonly date: LocalDate;
  /** A day off: nothing was read or sent. */
  readonly dayOff: boolean;
  /** E-mails sent by this run. */
  readonly sent: number;
  /** People with something to be told this morning (sent now or by an earlier run). */
  readonly people: number;
  /** Queued notices carried by this morning's mails (sent now or by an earlier run). */
  readonly notices: number;
  /** Queued notices dropped: their obligation closed, or a new plan moved their milestone. */
  readonly withdrawn: number;
}

/** Some morning mails could not be sent; the others were, and a retry sends only the missing ones. */
export class MorningMailFailedError extends Error {
  override readonly name = 'MorningMailFailedError';
  constructor(
    readonly failed: number,
    readonly summary: MorningSummary,
    readonly causes: readonly unknown[],
  ) {
    super(`${failed} of ${summary.people} morning mails could not be sent; the others were`);
  }
}

/** A queued notice this morning's mail carries, with what it speaks of. */
interface Carried {
  readonly notice: NoticeRecord;
  readonly occasion: Occasion;
}

interface Person {
  readonly user: string;
  email: string;
  readonly roles: Set<string>;
  readonly notices: Carried[];
  digest?: PersonDigest;
}

/** The morning mail of `at`'s day (the `digest` schedule). */
export async function sendMorningMail(deps: MorningDeps, at: Instant): Promise<MorningSummary> {
  const date = localDateOf(at);
  const calendar = await deps.calendar();
  if (!calendar.isWorkingDay(date)) return { date, dayOff: true, sent: 0, people: 0, notices: 0, withdrawn: 0 };

  const [digests, queue] = await Promise.all([digestsAt(deps.store, at), deps.store.outbox.queuedNotices()]);
  const due = queue.filter((notice) => notice.milestoneAt <= at);
  // The obligations the queue speaks of, read in batches (one call per hundred, a few at a time), not one by one.
  const ids = [...new Set(due.map((notice) => notice.obligationId))];
  const batches = Array.from({ length: Math.ceil(ids.length / OBLIGATIONS_PER_READ) }, (_, index) => ids.slice(index * OBLIGATIONS_PER_READ, (index + 1) * OBLIGATIONS_PER_READ));
  const read = new Map<string, Obligation>();
  await mapWithConcurrency(batches, CONCURRENCY, async (batch) => {
    for (const [id, found] of await deps.store.obligations.getObligations(batch)) read.set(id, found);
  });
  const obligation = async (id: string): Promise<Obligation | undefined> => read.get(id);

  const people = new Map<string, Person>();
  const person = (user: string, email: string): Person => {
    let found = people.get(user);
    if (found === undefined) people.set(user, (found = { user, email, roles: new Set(), notices: [] }));
    return found;
  };
  for (const digest of digests.values()) {
    const found = person(digest.user, digest.email);
    found.digest = digest;
    // The directory's address is the current one.
    found.email = digest.email;
    for (const role of digest.roles) found.roles.add(role);
  }

  let withdrawn = 0;
  await mapWithConcurrency(
    due,
    CONCURRENCY,
    async (notice) => {
      const own = morningAddress(date, notice.recipient);
      if (notice.mail !== undefined && notice.mail !== own) {
        // Named by an earlier morning's mail: it went (a run that died before marking), or it did not.
        const earlier = await deps.store.outbox.noticeByAddress(notice.mail);
        if (earlier !== undefined && earlier.status !== 'pending' && earlier.status !== 'failed') {
          await deps.store.outbox.markQueuedSent([notice], notice.mail, earlier.messageId, earlier.sentAt ?? deps.now());
          return;
        }
      }
      const standing = await standingOf(deps.store, notice, await obligation(notice.obligationId), at);
      if (standing === 'closed' || standing === 'replanned') {
        await deps.store.outbox.withdrawQueued([notice], standing);
        withdrawn += 1;
        return;
      }
      const found = person(notice.recipient, notice.email);
      found.notices.push({ notice, occasion: standing });
      found.roles.add(notice.role);
    },
  );

  const directory = new DirectoryCache(deps.store.directory);
  let sent = 0;
  let carried = 0;
  const failures: unknown[] = [];
  await mapWithConcurrency([...people.values()], CONCURRENCY, async (recipient) => {
    recipient.notices.sort(({ notice: a }, { notice: b }) => a.milestoneAt - b.milestoneAt || a.obligationId.localeCompare(b.obligationId));
    const carrying = recipient.notices.map(({ notice }) => notice);
    const record: NewNoticeRecord = {
      obligationId: digestOutboxId(date),
      revision: MORNING_REVISION,
      milestone: DIGEST_MILESTONE,
      milestoneAt: 0,
      recipient: recipient.user,
      email: recipient.email,
      role: [...recipient.roles].sort().join(','),
      subject: `morning mail ${date}: ${recipient.notices.length} notices, ${recipient.digest?.items.length ?? 0} in the digest`,
      status: 'pending',
      claimedAt: deps.now(),
      expiresAt: digestExpiresAt(deps.now()),
    };
    const address = noticeAddress(record);
    try {
      const outcome = await sendOnce(deps, record, async () => {
        // Written before the mail goes: a run after a crash knows what it carried.
        await deps.store.outbox.assignQueuedNotices(carrying, address);
        const notices: Notice[] = [];
        for (const { carried: { notice, occasion }, folded } of latestPerDeadline(recipient.notices)) {
          const told = await obligation(notice.obligationId);
          if (told === undefined) throw new Error(`queued notice ${noticeAddress(notice)} has no obligation to tell of`);
          notices.push(await noticeText(deps, notice, told, occasion, directory, folded));
        }
        const mail = composeMorningMail({
          date,
          notices,
          ...(recipient.digest === undefined ? {} : { digest: { date, days: DUE_SOON_DAYS, items: recipient.digest.items } }),
        });
        return { to: recipient.email, subject: mail.subject, text: mail.text };
      });
      if (outcome === 'in-doubt') {
        // Another run claimed it moments ago: its own outcome says whether it went.
        failures.push(new Error('a morning mail is in doubt: another attempt claimed it'));
        return;
      }
      if (outcome === 'sent') sent += 1;
      // Sent now, or by a run that died before marking what it carried: those that name this mail are sent.
      const carriedByIt = outcome === 'sent' ? carrying : carrying.filter((notice) => notice.mail === address);
      await deps.store.outbox.markQueuedSent(carriedByIt, address, undefined, deps.now());
      carried += carriedByIt.length;
    } catch (error) {
      failures.push(error);
    }
  });
  const summary = { date, dayOff: false, sent, people: people.size, notices: carried, withdrawn };
  if (failures.length > 0) throw new MorningMailFailedError(failures.length, summary, failures);
  return summary;
}

/** The outbox address of a person's morning mail of a day. */
export function morningAddress(date: LocalDate, user: string): string {
  return noticeAddress({ obligationId: digestOutboxId(date), milestone: DIGEST_MILESTONE, milestoneAt: 0, recipient: user });
}

/** A queued notice that still stands: the plan and the milestone it speaks of. */
interface Occasion {
  readonly plan: Plan;
  readonly milestone: Milestone;
}

/**
 * Whether a queued notice is still worth telling, judged against its occasion (the cycle it
 * was queued in). In that cycle: the obligation in the state the milestone speaks of (open or
 * overdue; lapsed for an expiry), the milestone still in its plan at the same instant. A cycle
 * the obligation has since left (a quarterly report's next quarter, a plan item's next month):
 * the notice stands when that cycle ended unanswered (the calendar opened the next one with the
 * deadline missed), and is withdrawn when it was answered (the act that opened the next cycle,
 * or the report given before it opened) or the obligation was cancelled since.
 */
async function standingOf(store: Store, notice: NoticeRecord, obligation: Obligation | undefined, at: Instant): Promise<Occasion | 'closed' | 'replanned'> {
  if (obligation === undefined) return 'closed';
  if (notice.cycle !== undefined && notice.cycle < obligation.cycle && notice.plan !== undefined) {
    if (obligation.status === 'cancelled') return 'closed';
    const milestone = notice.plan.milestones.find((candidate) => candidate.id === notice.milestone && candidate.at === notice.milestoneAt);
    if (milestone === undefined) return 'replanned';
    // The whole trail: the next cycle may have been written with an instant before the milestone's.
    const ended = (await store.obligations.events(obligation.id)).find((entry) => entry.type === 'cycle-opened' && entry.cycle === (notice.cycle ?? 0) + 1);
    const previousStatus = ended?.details?.['previousStatus'];
    return previousStatus === 'open' || previousStatus === 'overdue' ? { plan: notice.plan, milestone } : 'closed';
  }
  const milestone = obligation.plan.milestones.find((candidate) => candidate.id === notice.milestone && candidate.at === notice.milestoneAt);
  const status = statusAt(obligation, at);
  const expiry = milestone?.kind === 'expiry';
  if (expiry ? status !== 'expired' : status !== 'open' && status !== 'overdue') return 'closed';
  return milestone === undefined ? 'replanned' : { plan: obligation.plan, milestone };
}

/**
 * One notice per deadline (an obligation's cycle) in a person's mail: the latest, which tells
 * where it stands this morning, with the count of those before it. Over a weekend an overdue check
 * escalates to the same head each day; he reads it once, not three times with a "next notice"
 * already past. The folded ones are carried all the same (marked sent by this mail).
 */
function latestPerDeadline(notices: readonly Carried[]): { carried: Carried; folded: number }[] {
  const latest = new Map<string, { carried: Carried; folded: number }>();
  for (const carried of notices) {
    const key = `${carried.notice.obligationId}#${carried.notice.cycle ?? ''}`;
    const before = latest.get(key);
    latest.set(key, { carried, folded: before === undefined ? 0 : before.folded + 1 });
  }
  return [...latest.values()];
}

/** What the notice says, as it would have said it alone at its milestone, told now. */
async function noticeText(deps: MorningDeps, notice: NoticeRecord, obligation: Obligation, occasion: Occasion, directory: DirectoryCache, folded: number): Promise<Notice> {
  const role = RoleSchema.parse(notice.role);
  const context = await milestoneContext(directory, obligation, !signsIn(role), deps.dashboardUrl);
  return milestoneNotice(context, {
    rule: findRule(obligation.rule),
    obligation,
    plan: occasion.plan,
    milestone: occasion.milestone,
    role,
    toldAt: deps.now(),
    replaces: notice.replaces?.length ?? 0,
    folded,
  });
}

/** The instant of a day's morning run: `SCHEDULES.digest`, in Astana time. */
export function morningInstant(date: LocalDate): Instant {
  const { hour, minute } = SCHEDULES.digest.cron;
  return parseInstant(`${date}T${hour.padStart(2, '0')}:${minute.padStart(2, '0')}+05:00`);
}

/**
 * The morning run that carries a notice queued at `at`: that day's when it is a working day and
 * its 09:30 is still to come, else the next working day's.
 */
export function morningAfter(calendar: WorkingDayCalendar, at: Instant): Instant {
  const date = localDateOf(at);
  return morningInstant(calendar.isWorkingDay(date) && at <= morningInstant(date) ? date : calendar.nextWorkingDay(date));
}

/**
 * The reconciler's hourly look at today's morning mails: when one failed (SES refused it) or
 * stays in doubt past NOTICE_IN_DOUBT_MS, today's morning run is done again. It sends only the
 * missing mails (the others are sent, their claims say so) and carries only what was queued by
 * 09:30; without it, a mail SES refused at 09:30 would wait for the next working morning.
 * Undefined when there was nothing to retry.
 */
export async function retryMorningMail(deps: MorningDeps): Promise<MorningSummary | undefined> {
  const now = deps.now();
  const date = localDateOf(now);
  const at = morningInstant(date);
  if (now < at) return undefined;
  const mails = await deps.store.outbox.notices(digestOutboxId(date));
  const unsent = mails.filter((mail) => mail.status === 'failed' || (mail.status === 'pending' && mail.claimedAt < now - NOTICE_IN_DOUBT_MS));
  if (unsent.length === 0) return undefined;
  return sendMorningMail(deps, at);
}
