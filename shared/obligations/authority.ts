import { type Act, ACTS, ADMINISTRATOR, KINDS_OF_ROLE, type Party, PARTY_NAMES, type Role, type RoleKind } from '../base/index.ts';
import { type ActField, ACT_NEEDS, type Obligation } from '../model/index.ts';
import type { Rule } from '../rules/index.ts';
import { ActRefusedError, stateRefusal } from './lifecycle.ts';

/**
 * Who a caller is to an obligation, and so which of the catalog's powers they hold
 * (shared/rules/catalog.ts `authority`). Pure: the caller's reach is passed in.
 */

export interface CallerFacts {
  readonly user: string;
  readonly org: string;
  readonly groups: readonly string[];
}

function holdsKind(caller: CallerFacts, kind: RoleKind): boolean {
  return caller.groups.some((group) => (KINDS_OF_ROLE[group as Role] ?? []).includes(kind));
}

export function isAdministrator(caller: CallerFacts): boolean {
  return caller.groups.includes(ADMINISTRATOR);
}

export function holdsHeadRole(caller: CallerFacts): boolean {
  return holdsKind(caller, 'head');
}

/**
 * The parties a caller is to an obligation: a member of its unit is the acting body; the
 * secretary, chair or head of the body that issued it is the issuer; a head whose reach holds
 * its unit is its head; the administrator is the administrator.
 */
export function partiesOf(
  caller: CallerFacts,
  obligation: Pick<Obligation, 'org' | 'issuedBy'>,
  reaches: (org: string) => boolean,
): ReadonlySet<Party> {
  const parties = new Set<Party>();
  if (isAdministrator(caller)) parties.add('admin');
  if (caller.org === obligation.org) parties.add('acting-body');
  if (obligation.issuedBy !== undefined && caller.org === obligation.issuedBy && (holdsKind(caller, 'issuer') || holdsKind(caller, 'head'))) parties.add('issuer');
  if (holdsKind(caller, 'head') && reaches(obligation.org)) parties.add('head');
  return parties;
}

export function partyList(parties: readonly Party[]): string {
  const names = parties.map((party) => PARTY_NAMES[party].en.replace(/^The /, 'the '));
  return names.length <= 1 ? (names[0] ?? 'nobody') : `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;
}

/** Throws 403 unless one of the caller's parties may record the act on this rule. */
export function assertMayRecord(rule: Rule, act: Act, parties: ReadonlySet<Party>): void {
  const allowed = rule.authority.acts[act];
  if (allowed === undefined) throw notApplicable(rule, act);
  if (!allowed.some((party) => parties.has(party))) {
    throw new ActRefusedError(`only ${partyList(allowed)} may record ${act} on ${rule.id}`, 'forbidden', 'act');
  }
}

/** Why an act does not apply to a rule at all: a fixed term, no ground for a pause, or simply another rule's act. */
export function notApplicable(rule: Rule, act: Act): ActRefusedError {
  if (act === 'extended' || act === 'extension-requested' || act === 'extension-refused') {
    return new ActRefusedError(`the term of ${rule.id} is fixed by law and nobody extends it: a new term is a new obligation`, 'invalid', 'act');
  }
  if (act === 'suspended' || act === 'resumed') {
    return new ActRefusedError(`${rule.id} names no legal ground for a pause: its clock cannot be suspended`, 'invalid', 'act');
  }
  const applies = Object.keys(rule.authority.acts);
  return new ActRefusedError(`"${act}" does not apply to ${rule.id}: one of ${applies.join(', ')}`, 'invalid', 'act');
}

export interface AllowedAct {
  readonly act: Act;
  /** What the request must carry besides the act and its time. */
  readonly needs: readonly ActField[];
}

/**
 * The acts this caller may record on this obligation now: those the catalog gives one of their
 * parties, in the state the obligation is in. The dashboard offers exactly these.
 */
export function allowedActs(rule: Rule, obligation: Obligation, parties: ReadonlySet<Party>, caller: CallerFacts, now: number): AllowedAct[] {
  const acts = rule.authority.acts;
  return ACTS.filter((act) => {
    const allowed = acts[act];
    if (allowed === undefined || !allowed.some((party) => parties.has(party))) return false;
    return stateRefusal(rule, obligation, act, { now, parties, user: caller.user }) === undefined;
  }).map((act) => ({ act, needs: ACT_NEEDS[act] ?? [] }));
}
