import { type Notice, type NoticeContact, type NoticeUnit, composeNotice, noticeSubject } from '../../shared/i18n/index.ts';
import type { Obligation } from '../../shared/model/index.ts';
import type { Role } from '../../shared/base/index.ts';
import { type Milestone, type Plan, type Rule, urgencyOf } from '../../shared/rules/index.ts';
import type { Mail, MailMessage } from '../adapters/mail.ts';
import { type NewNoticeRecord, type Store, noticeAddress, noticeExpiresAt } from '../adapters/store/index.ts';
import { dashboardUrlFromEnv, noticeUnit, obligationLink, quarterlyReportLink, replyContacts, signsIn } from './notice-context.ts';
import { reportedQuarter } from '../../shared/reports/index.ts';
import { DirectoryCache, type MilestoneAudience, milestoneAudience } from './recipients.ts';
import { QUARTERLY_REPORT_RULE } from './provision.ts';

export interface DeliveryDeps {
  readonly store: Store;
  readonly mail: Mail;
  readonly now: () => number;
  /** The dashboard's address, for the link in a mail; the functions' environment (`ENV.dashboardUrl`) when not given. */
  readonly dashboardUrl?: string;
}

export interface DeliveryResult {
  /** Work identities told at this milestone by this call. */
  readonly sent: string[];
  /** Work identities whose notice this call put in their morning mail's queue (functions/app/morning.ts). */
  readonly queued: string[];
  /** Work identities told already. */
  readonly skipped: string[];
  /**
   * Work identities whose notice another attempt claimed moments ago and may have sent (its
   * sender died, or still runs): this call neither sends nor counts them as told, and fails so
   * that a later attempt finds out.
   */
  readonly inDoubt: string[];
  /** Roles of the milestone that nobody in the directory holds. */
  readonly unreachable: Role[];
}

/**
 * Some recipients could not be sent to; the others were. Throwing lets the Task retry: the
 * outbox keeps the ones sent from going out again. `result` says what this attempt did.
 */
export class DeliveryFailedError extends Error {
  override readonly name = 'DeliveryFailedError';
  constructor(
    readonly failed: number,
    readonly result: DeliveryResult,
    readonly causes: readonly unknown[],
  ) {
    super(
      `${failed} of ${failed + result.sent.length + result.queued.length + result.skipped.length + result.inDoubt.length} notices could not be sent` +
        (result.inDoubt.length === 0 ? '' : `, ${result.inDoubt.length} are in doubt`) +
        '; the others were',
    );
  }
}

/**
 * Whom a milestone tells, and which milestones collapsed into it (late.ts): its own roles and
 * theirs, when a timer reached several at once.
 */
export interface Telling {
  readonly roles: readonly Role[];
  /** The milestones whose notices this one replaces. */
  readonly replaces: readonly string[];
  /** Who the roles mean, as the step read the directory just before (else read here). */
  readonly audience?: MilestoneAudience;
}

/**
 * Tells everyone a milestone names, once each: one outbox item per (milestone, its instant,
 * recipient). What the catalog marks urgent is claimed and sent now; anything else is queued
 * for the recipient's morning mail, which sends it with the rest of his day (functions/app/morning.ts)
 * and says it as it would have been said here. A recipient who could not be sent to does not
 * stop the others; the call then throws DeliveryFailedError. What goes out is the case
 * reference, the rule, the due time, the units, the recipient's role, the legal basis, the
 * item's text and the link to the obligation, nothing about people (LEGAL.md §5).
 */
export async function deliverMilestone(deps: DeliveryDeps, obligation: Obligation, rule: Rule, milestone: Milestone, telling?: Telling): Promise<DeliveryResult> {
  const directory = new DirectoryCache(deps.store.directory);
  const { recipients, unreachable } = telling?.audience ?? (await milestoneAudience(directory, obligation, telling?.roles ?? milestone.notify));
  const urgent = isUrgent(rule, obligation, milestone);
  if (!urgent) {
    // Queued: the morning mail writes the text; the queue needs no more than the record.
    const records = queuedRecords(obligation, rule, milestone, { recipients, replaces: telling?.replaces ?? [] }, deps.now());
    const outcomes = await Promise.all(
      records.map(async (record) => {
        try {
          return { user: record.recipient, queued: await deps.store.outbox.queueNotice(record) };
        } catch (error) {
          return { user: record.recipient, error };
        }
      }),
    );
    const failures = outcomes.flatMap((outcome) => ('error' in outcome ? [outcome.error] : []));
    const result = {
      sent: [],
      queued: outcomes.flatMap((outcome) => (outcome.queued === true ? [outcome.user] : [])).sort(),
      skipped: outcomes.flatMap((outcome) => (outcome.queued === false ? [outcome.user] : [])).sort(),
      inDoubt: [],
      unreachable: [...unreachable],
    };
    if (failures.length > 0) throw new DeliveryFailedError(failures.length, result, failures);
    return result;
  }
  const context = await milestoneContext(directory, obligation, recipients.some(({ role }) => !signsIn(role)), deps.dashboardUrl);
  const replaces = telling?.replaces ?? [];
  const sent: string[] = [];
  const queued: string[] = [];
  const skipped: string[] = [];
  const inDoubt: string[] = [];
  const failures: unknown[] = [];
  await Promise.all(
    recipients.map(async ({ member, role }) => {
      const notice = milestoneNotice(context, { rule, obligation, plan: obligation.plan, milestone, role, toldAt: deps.now(), replaces: replaces.length });
      const record = milestoneRecord(obligation, milestone, { member, role }, notice.subject, deps.now());
      try {
        const outcome = await sendOnce(deps, record, { to: member.email, subject: notice.subject, text: notice.text });
        ({ sent, skipped, 'in-doubt': inDoubt })[outcome].push(member.user);
      } catch (error) {
        failures.push(error);
      }
    }),
  );
  const result = { sent: sent.sort(), queued: queued.sort(), skipped: skipped.sort(), inDoubt: inDoubt.sort(), unreachable: [...unreachable] };
  if (failures.length > 0 || inDoubt.length > 0) throw new DeliveryFailedError(failures.length, result, failures);
  return result;
}

/** The decision point: what the catalog marks urgent is sent at its instant, anything else goes in the morning mail. */
export function isUrgent(rule: Rule, obligation: Pick<Obligation, 'plan'>, milestone: Pick<Milestone, 'id'>): boolean {
  return urgencyOf(rule, obligation.plan.variant, milestone.id) !== undefined;
}

/**
 * The outbox items that put a milestone's notices in their recipients' morning mail queue, one
 * per recipient, each with its occasion: the morning may find the obligation on its next cycle
 * (morning.ts standingOf). The morning mail writes the text; the record keeps the subject.
 */
export function queuedRecords(
  obligation: Obligation,
  rule: Rule,
  milestone: Milestone,
  telling: { readonly recipients: MilestoneAudience['recipients']; readonly replaces: readonly string[] },
  now: number,
): NewNoticeRecord[] {
  const subject = noticeSubject({ rule, plan: obligation.plan, milestone, reference: obligation.caseRef });
  const occasion = { cycle: obligation.cycle, plan: obligation.plan, ...(telling.replaces.length === 0 ? {} : { replaces: [...telling.replaces] }) };
  return telling.recipients.map((recipient) => ({ ...milestoneRecord(obligation, milestone, recipient, subject, now), ...occasion }));
}

/** One recipient's outbox record of a milestone's notice, sent at once or queued for the morning. */
function milestoneRecord(
  obligation: Obligation,
  milestone: Milestone,
  { member, role }: MilestoneAudience['recipients'][number],
  subject: string,
  now: number,
): NewNoticeRecord {
  return {
    obligationId: obligation.id,
    revision: obligation.revision,
    milestone: milestone.id,
    milestoneAt: milestone.at,
    recipient: member.user,
    email: member.email,
    role,
    subject,
    status: 'pending',
    claimedAt: now,
    expiresAt: noticeExpiresAt(milestone.at),
  };
}

/** What a milestone's notice says besides the milestone: the units, whom to reply to, the item, the link. */
export interface MilestoneContext {
  readonly organisation: NoticeUnit;
  readonly issuer?: NoticeUnit;
  /** Whom an addressee without a sign-in replies to; read only when one is told. */
  readonly replyTo: readonly NoticeContact[];
  readonly item?: { readonly label?: string; readonly text?: string };
  readonly link?: string;
  /** The quarterly report's obligation: the unit's report of the quarter it covers, on the dashboard. */
  readonly report?: string;
}

export async function milestoneContext(directory: DirectoryCache, obligation: Obligation, someoneWithoutSignIn: boolean, dashboardUrl?: string): Promise<MilestoneContext> {
  const organisation = noticeUnit(obligation.org, await directory.organisation(obligation.org));
  const issuer = obligation.issuedBy === undefined ? undefined : noticeUnit(obligation.issuedBy, await directory.organisation(obligation.issuedBy));
  const replyTo = someoneWithoutSignIn ? await replyContacts(directory, obligation) : [];
  const link = obligationLink(dashboardUrl ?? dashboardUrlFromEnv(), obligation.id);
  const item = obligation.label === undefined && obligation.title === undefined ? undefined : { ...(obligation.label === undefined ? {} : { label: obligation.label }), ...(obligation.title === undefined ? {} : { text: obligation.title }) };
  const report = obligation.rule === QUARTERLY_REPORT_RULE ? quarterlyReportLink(dashboardUrl ?? dashboardUrlFromEnv(), obligation.org, reportedQuarter(obligation.dueAt).name) : undefined;
  return { organisation, ...(issuer === undefined ? {} : { issuer }), replyTo, ...(item === undefined ? {} : { item }), ...(link === undefined ? {} : { link }), ...(report === undefined ? {} : { report }) };
}

/**
 * A milestone's notice to one role, told at `toldAt`: the same words whether it goes at its
 * instant or in a morning mail (`plan` is the plan the milestone belongs to).
 */
export function milestoneNotice(
  context: MilestoneContext,
  told: { rule: Rule; obligation: Obligation; plan: Plan; milestone: Milestone; role: Role; toldAt: number; replaces: number; folded?: number },
): Notice {
  const { organisation, issuer, replyTo, item, link, report } = context;
  return composeNotice({
    rule: told.rule,
    plan: told.plan,
    milestone: told.milestone,
    reference: told.obligation.caseRef,
    organisation,
    ...(issuer === undefined ? {} : { issuer }),
    recipient: told.role,
    signsIn: signsIn(told.role),
    replyTo,
    ...(item === undefined ? {} : { item }),
    ...(link === undefined ? {} : { link }),
    ...(report === undefined ? {} : { report }),
    toldAt: told.toldAt,
    replaces: told.replaces,
    ...(told.folded === undefined ? {} : { folded: told.folded }),
  });
}

/**
 * Sends one outbox item's message once: claims it, sends it with its address (NOTICE_HEADER),
 * marks it sent. `skipped` when it went out before, `in-doubt` when another attempt claimed it
 * moments ago. Throws when SES fails; the item is then `failed` if SES answered, in doubt if not.
 */
export async function sendOnce(
  deps: DeliveryDeps,
  record: NewNoticeRecord,
  message: Omit<MailMessage, 'notice'> | (() => Promise<Omit<MailMessage, 'notice'>>),
): Promise<'sent' | 'skipped' | 'in-doubt'> {
  const claim = await deps.store.outbox.claimNotice(record);
  if (claim !== 'claimed') return claim === 'sent' ? 'skipped' : 'in-doubt';
  let made: Omit<MailMessage, 'notice'>;
  try {
    // A message made once the claim is held (the morning mail first writes what it carries).
    made = typeof message === 'function' ? await message() : message;
  } catch (error) {
    // Nothing was sent: the next attempt may send it at once.
    await deps.store.outbox.markNoticeFailed(record, describeFailure(error));
    throw error;
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.mail.send({ ...made, notice: noticeAddress(record) }));
  } catch (error) {
    // SES answered that it did not take the message: failed, in the dead-letter list until a
    // retry sends it. Without an answer (the connection broke) it may have: the claim stays in
    // doubt until SES's Send event or its age settles it.
    if (answeredWithError(error)) await deps.store.outbox.markNoticeFailed(record, describeFailure(error));
    throw error;
  }
  await deps.store.outbox.markNoticeSent(record, messageId, deps.now());
  return 'sent';
}

/** The HTTP status of the service's answer an AWS SDK error carries; none when no answer came. */
function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/** An AWS SDK error that carries the service's HTTP answer: the request reached SES and was refused. */
function answeredWithError(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status !== undefined && status >= 400;
}

/** The error's name and HTTP status: enough to act on, nothing of the message. */
function describeFailure(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const status = httpStatusOf(error);
  return status === undefined ? name : `${name} (HTTP ${status})`;
}
