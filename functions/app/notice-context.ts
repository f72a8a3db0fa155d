import type { NoticeContact, NoticeUnit } from '../../shared/i18n/index.ts';
import { KINDS_OF_ROLE, type Organisation, type Role } from '../../shared/base/index.ts';
import type { Obligation } from '../../shared/model/index.ts';
import { ENV, GROUPS } from '../../contract/index.ts';
import type { DirectoryReader } from './recipients.ts';

/**
 * What a notice says besides the milestone: how the units are named, who waits for the act, whom
 * an addressee without a sign-in replies to, and the link to the obligation on the dashboard.
 */

/** The dashboard's address from the functions' environment; none when unset or not an http(s) URL. */
export function dashboardUrlFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const value = env[ENV.dashboardUrl]?.trim();
  if (value === undefined || value === '') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** `<dashboard>#/o/<id>`: the page of one obligation (web/src/main.ts routes by the fragment). */
export function obligationLink(dashboardUrl: string | undefined, id: string): string | undefined {
  if (dashboardUrl === undefined) return undefined;
  const base = dashboardUrl.replace(/#.*$/, '');
  return `${base.endsWith('/') ? base : `${base}/`}#/o/${encodeURIComponent(id)}`;
}

/** `<dashboard>#/reports/quarterly?org=…&quarter=…`: a unit's quarterly report (issue 19), the figures its service note files. */
export function quarterlyReportLink(dashboardUrl: string | undefined, org: string, quarter: string): string | undefined {
  const page = obligationLink(dashboardUrl, '-');
  return page === undefined ? undefined : page.replace(/#\/o\/-$/, `#/reports/quarterly?${new URLSearchParams({ org, quarter }).toString()}`);
}

/**
 * Whether people of a role sign in to Merzim: the roles Cognito has a group for (`GROUPS`). An
 * addressee's office and its head (a school, a hospital) are in the directory for their work
 * mailbox only: they have no sign-in.
 */
export function signsIn(role: Role): boolean {
  return (GROUPS as readonly string[]).includes(role);
}

/** A unit as a notice names it: its Kazakh and Russian names, or its code when the directory has none. */
export function noticeUnit(org: string, organisation: Organisation | undefined): NoticeUnit {
  if (organisation === undefined) return { names: org };
  return { names: { kk: organisation.names.kk, ru: organisation.names.ru }, kind: organisation.kind };
}

/**
 * Whom an addressee replies to: the issuing commission's secretary; where the issuer has none in
 * the directory, its other officials who record the reply (a chair, a head). Empty when nobody.
 */
export async function replyContacts(directory: DirectoryReader, obligation: Pick<Obligation, 'issuedBy'>): Promise<NoticeContact[]> {
  if (obligation.issuedBy === undefined) return [];
  const members = await directory.members(obligation.issuedBy);
  const secretaries = members.filter((member) => member.role === 'commission-secretary');
  const chosen = secretaries.length > 0 ? secretaries : members.filter((member) => KINDS_OF_ROLE[member.role].includes('issuer') || KINDS_OF_ROLE[member.role].includes('head'));
  // One line per mailbox: two officials sharing the commission's mailbox are one address to write to.
  const seen = new Set<string>();
  return chosen.filter((member) => (seen.has(member.email) ? false : (seen.add(member.email), true))).map((member) => ({ role: member.role, email: member.email }));
}
