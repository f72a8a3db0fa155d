import { type ToldAct, composeActNotice } from '../../shared/i18n/index.ts';
import { KINDS_OF_ROLE, type Member, type Role, rolesOfKind } from '../../shared/base/index.ts';
import type { Obligation, ObligationEvent } from '../../shared/model/index.ts';
import { type Rule, effectiveBody } from '../../shared/rules/index.ts';
import { errorKind, logger } from '../adapters/log.ts';
import { type NewNoticeRecord, noticeExpiresAt } from '../adapters/store/index.ts';
import { type DeliveryDeps, sendOnce } from './deliver.ts';
import { dashboardUrlFromEnv, noticeUnit, obligationLink, signsIn } from './notice-context.ts';
import { DirectoryCache, type DirectoryReader, audienceOfRoles, recipientsFor } from './recipients.ts';

/**
 * Acts that cannot wait for the morning: a case handed over is told at once to the unit that
 * takes it up, a breach found at a check to the acting unit's head. The audience is read from the
 * directory before the act is written, so the act's audit entry says who is told (or that nobody
 * holds the role); the mail goes out after the act is written, through the outbox, once.
 */

export interface Recipient {
  readonly member: Member;
  readonly role: Role;
}

export interface Audience {
  readonly recipients: readonly Recipient[];
  /** Roles sought that nobody in the directory holds for this unit. */
  readonly unreachable: readonly Role[];
}

/** A head of the acting unit: not the commission's chair, who heads the issuer. */
const isUnitHead = (role: Role): boolean => KINDS_OF_ROLE[role].includes('head') && !KINDS_OF_ROLE[role].includes('issuer');

/**
 * The heads of an obligation's unit: those its first rung of escalation names (the unit head of
 * a check, the department's head of a decision); a rule that escalates to nobody (an order in
 * force) has the heads the unit itself has in the directory.
 */
async function headRoles(directory: DirectoryReader, rule: Rule, obligation: Obligation): Promise<Role[]> {
  const ladder = (effectiveBody(rule, obligation.variant).escalation[0]?.notify ?? []).filter(isUnitHead);
  if (ladder.length > 0) return ladder;
  return [...new Set((await directory.members(obligation.org)).map((member) => member.role).filter(isUnitHead))];
}

/**
 * Who is told of the act, from the obligation as the act leaves it:
 * - `transferred` to another acting unit: that unit's members holding the role the rule's actor
 *   names, and its heads; to another commission: its secretary and chair;
 * - `violation-found`: the acting unit's heads.
 */
export async function audienceOf(source: DirectoryReader, rule: Rule, after: Obligation, act: ToldAct): Promise<Audience> {
  const directory = DirectoryCache.of(source);
  const sought: { role: Role; members: () => Promise<Member[]> }[] = [];
  if (act === 'transferred' && rule.authority.transfers === 'issuer') {
    const issuer = after.issuedBy;
    for (const role of rolesOfKind('issuer')) {
      sought.push({ role, members: async () => (issuer === undefined ? [] : (await directory.members(issuer)).filter((member) => member.role === role)) });
    }
  } else {
    const roles = [...(act === 'transferred' ? [rule.actor] : []), ...(await headRoles(directory, rule, after))];
    for (const role of new Set(roles)) sought.push({ role, members: () => recipientsFor(directory, after, role) });
  }
  return audienceOfRoles(sought);
}

/** An audit entry's detail holds at most 200 characters: a long list ends with how many more. */
function listDetail(items: readonly string[]): string {
  const shown: string[] = [];
  for (const [index, item] of items.entries()) {
    const rest = items.length - index - 1;
    const tail = rest === 0 ? '' : ` +${rest} more`;
    if ([...shown, item].join(' ').length + tail.length > 200) return `${shown.join(' ')} +${items.length - shown.length} more`;
    shown.push(item);
  }
  return shown.join(' ');
}

/** What the act's audit entry says of its audience: the work identities told, the roles nobody holds. */
export function audienceDetails(audience: Audience): NonNullable<ObligationEvent['details']> {
  return {
    ...(audience.recipients.length === 0 ? { toldNobody: true } : { told: listDetail(audience.recipients.map(({ member }) => member.user)) }),
    ...(audience.unreachable.length === 0 ? {} : { unreachable: listDetail(audience.unreachable) }),
  };
}

export interface ToldOfAct {
  /** Work identities told now, or told before by an earlier attempt at this act. */
  readonly sent: readonly string[];
  /** Work identities not told: SES refused (the dead-letter list) or gave no answer (in doubt). */
  readonly failed: readonly string[];
}

/**
 * Sends the act's notices, once each: the outbox item is named by the act and the obligation's
 * version it wrote (`act-transferred-v5`) at the instant it was recorded, so a repeat of this call
 * sends nothing twice. A failure is not the act's: the act stands, the notice is in the
 * dead-letter list (SES refused) or in doubt (no answer), and the others are still sent.
 */
export async function tellOfAct(
  deps: DeliveryDeps,
  { act, rule, before, after, audience, recordedAt }: { act: ToldAct; rule: Rule; before: Obligation; after: Obligation; audience: Audience; recordedAt: number },
): Promise<ToldOfAct> {
  if (audience.recipients.length === 0) return { sent: [], failed: [] };
  const directory = new DirectoryCache(deps.store.directory);
  // A unit the directory cannot name now is named by its code: the notice still goes.
  const label = async (org: string) => noticeUnit(org, await directory.organisation(org).catch(() => undefined));
  const link = obligationLink(deps.dashboardUrl ?? dashboardUrlFromEnv(), after.id);
  const organisation = await label(after.org);
  const fromOrg = act !== 'transferred' ? undefined : before.org !== after.org ? before.org : before.issuedBy !== after.issuedBy ? before.issuedBy : undefined;
  const from = fromOrg === undefined ? undefined : await label(fromOrg);
  const sent: string[] = [];
  const failed: string[] = [];
  await Promise.all(
    audience.recipients.map(async ({ member, role }) => {
      const milestone = `act-${act}-v${after.version}`;
      try {
        const notice = composeActNotice({
          act,
          rule,
          reference: after.caseRef,
          organisation,
          ...(from === undefined ? {} : { from }),
          dueAt: after.dueAt,
          recipient: role,
          ...(link === undefined || !signsIn(role) ? {} : { link }),
        });
        const record: NewNoticeRecord = {
          obligationId: after.id,
          revision: after.revision,
          milestone,
          milestoneAt: recordedAt,
          recipient: member.user,
          email: member.email,
          role,
          subject: notice.subject,
          status: 'pending',
          claimedAt: deps.now(),
          expiresAt: noticeExpiresAt(recordedAt),
        };
        const outcome = await sendOnce(deps, record, { to: member.email, subject: notice.subject, text: notice.text });
        (outcome === 'in-doubt' ? failed : sent).push(member.user);
      } catch (error) {
        failed.push(member.user);
        logger.warn('act notice: not sent', { obligationId: after.id, act, milestone, error: errorKind(error) });
      }
    }),
  );
  return { sent: sent.sort(), failed: failed.sort() };
}
