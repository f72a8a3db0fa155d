import { type Member, type Organisation, type Role, rolesOfKind } from '../../shared/base/index.ts';
import type { Obligation } from '../../shared/model/index.ts';
import { effectiveBody, findRule } from '../../shared/rules/index.ts';
import type { DirectoryRepository } from '../adapters/store/index.ts';

/** The directory reads recipients need: the store's directory has them. */
export type DirectoryReader = Pick<DirectoryRepository, 'organisation' | 'members'>;

/**
 * The directory as read once in one invocation: each organisation and member list is fetched
 * at most once. Make one per invocation, never per container, so a change made through the API
 * is seen by the next step.
 */
export class DirectoryCache implements DirectoryReader {
  readonly #organisations = new Map<string, Promise<Organisation | undefined>>();
  readonly #members = new Map<string, Promise<Member[]>>();

  constructor(private readonly source: DirectoryReader) {}

  static of(source: DirectoryReader): DirectoryCache {
    return source instanceof DirectoryCache ? source : new DirectoryCache(source);
  }

  organisation(org: string): Promise<Organisation | undefined> {
    return cached(this.#organisations, org, () => this.source.organisation(org));
  }

  members(org: string): Promise<Member[]> {
    return cached(this.#members, org, () => this.source.members(org));
  }
}

function cached<T>(map: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let value = map.get(key);
  if (value === undefined) {
    value = read();
    // A failed read is not remembered: the next caller tries again.
    value.catch(() => map.delete(key));
    map.set(key, value);
  }
  return value;
}

/** Roles that stand for the body that must act, never for someone above it. */
const ACTING_ROLES: ReadonlySet<Role> = new Set(rolesOfKind('acting'));

/**
 * The roles that act on this obligation: the rule's actor and whoever its (variant's) reminders
 * go to, e.g. the unit head of a district quarterly report, the regional head of a region's.
 */
export function actingRoles(obligation: Pick<Obligation, 'rule' | 'variant'>): ReadonlySet<Role> {
  const rule = findRule(obligation.rule);
  const body = effectiveBody(rule, obligation.variant);
  return new Set<Role>([...ACTING_ROLES, rule.actor, ...body.reminders.flatMap((reminder) => reminder.notify)]);
}

const COMMISSION_ROLES: ReadonlySet<Role> = new Set(rolesOfKind('issuer'));

/** Guards against a cycle of parent links in a hand-edited directory. */
const MAX_DEPTH = 16;

/**
 * Who a role means for an obligation, from the organisation directory:
 * - a role that acts on it: the assignee if he holds that role in the obligation's unit, else
 *   everyone who holds it there;
 * - a commission's secretary or chair: those of the commission that issued it, else the first
 *   found up the hierarchy from the obligation's unit;
 * - a head: up the hierarchy from the obligation's unit (the unit itself first), everyone with
 *   that role at the first unit that has any.
 * Nobody holds it: `[]`; the caller records that in the audit trail.
 */
export async function recipientsFor(source: DirectoryReader, obligation: Obligation, role: Role): Promise<Member[]> {
  const directory = DirectoryCache.of(source);
  if (actingRoles(obligation).has(role)) {
    const members = withRole(await directory.members(obligation.org), role);
    const assignee = members.find((member) => member.user === obligation.assignee);
    return assignee === undefined ? members : [assignee];
  }
  if (COMMISSION_ROLES.has(role) && obligation.issuedBy !== undefined) {
    const members = withRole(await directory.members(obligation.issuedBy), role);
    if (members.length > 0) return members;
  }
  return upTheHierarchy(directory, obligation.org, role);
}

/** The holders of a role at the first unit, from `org` upwards, that has any. */
export async function upTheHierarchy(directory: DirectoryReader, org: string, role: Role): Promise<Member[]> {
  const seen = new Set<string>();
  let unit: string | undefined = org;
  while (unit !== undefined && !seen.has(unit) && seen.size < MAX_DEPTH) {
    seen.add(unit);
    const [members, organisation]: [Member[], Organisation | undefined] = await Promise.all([directory.members(unit), directory.organisation(unit)]);
    const holders = withRole(members, role);
    if (holders.length > 0) return holders;
    unit = organisation?.parent;
  }
  return [];
}

function withRole(members: readonly Member[], role: Role): Member[] {
  return members.filter((member) => member.role === role);
}

/** Who a milestone tells: each member once, under the first of the roles he holds, and the roles nobody holds. */
export interface MilestoneAudience {
  readonly recipients: readonly { readonly member: Member; readonly role: Role }[];
  readonly unreachable: readonly Role[];
}

export async function milestoneAudience(source: DirectoryReader, obligation: Obligation, roles: readonly Role[]): Promise<MilestoneAudience> {
  const directory = DirectoryCache.of(source);
  return audienceOfRoles(roles.map((role) => ({ role, members: () => recipientsFor(directory, obligation, role) })));
}

/**
 * The roles sought, in order, each with who holds it: each member once, under the first of the
 * roles he holds (someone holding two of the roles told at once gets one notice), and the roles
 * nobody holds.
 */
export async function audienceOfRoles(sought: readonly { readonly role: Role; readonly members: () => Promise<readonly Member[]> }[]): Promise<MilestoneAudience> {
  const unreachable: Role[] = [];
  const recipients: { member: Member; role: Role }[] = [];
  const seen = new Set<string>();
  for (const { role, members } of sought) {
    const holders = await members();
    if (holders.length === 0) unreachable.push(role);
    for (const member of holders) {
      if (seen.has(member.user)) continue;
      seen.add(member.user);
      recipients.push({ member, role });
    }
  }
  return { recipients, unreachable };
}

/**
 * The unit whose directory lacks a role nobody holds for an obligation: the issuing commission
 * for its secretary or chair, else the obligation's own unit (a head is sought from it upwards).
 */
export function gapUnitOf(obligation: Pick<Obligation, 'org' | 'issuedBy'>, role: Role): string {
  return COMMISSION_ROLES.has(role) && obligation.issuedBy !== undefined ? obligation.issuedBy : obligation.org;
}
