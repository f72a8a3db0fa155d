import { ScheduledEventSchema } from '../../contract/index.ts';
import { DAY_MS, type Instant, type LocalDate, type Member, type Organisation, type Role, rolesOfKind } from '../../shared/base/index.ts';
import type { DigestItem } from '../../shared/i18n/index.ts';
import { type ListState, overdueGroundsOf, statusAt } from '../../shared/model/index.ts';
import { findRule } from '../../shared/rules/index.ts';
import type { ListQuery, ListedObligation, Store } from '../adapters/store/index.ts';
import { mapWithConcurrency } from './reconcile.ts';

/** "Due soon" looks this many days ahead. */
export const DUE_SOON_DAYS = 3;

/** A commission's secretaries and chair (the issuer's roles) get what the bodies owe the commission. */
export const COMMISSION_ROLES: readonly Role[] = rolesOfKind('issuer');

/**
 * The heads who get the overdue obligations of every unit under them; the chair
 * is told as the commission, of what it waits for, not of its own staff's units.
 */
export const HEAD_ROLES: readonly Role[] = rolesOfKind('head').filter((role) => !COMMISSION_ROLES.includes(role));

/** The outbox keeps one morning mail per person per day (its digest and its notices) under this pseudo obligation. */
export function digestOutboxId(date: LocalDate): string {
  return `digest-${date}`;
}
export const DIGEST_MILESTONE = 'digest';

/** What one person's digest lists, and where to send it. */
export interface PersonDigest {
  readonly user: string;
  readonly email: string;
  /** The roles he watches with, for the outbox record. */
  readonly roles: readonly Role[];
  readonly items: readonly DigestItem[];
}

interface Watcher {
  readonly user: string;
  readonly email: string;
  readonly roles: Set<Role>;
  /** Work lists to read: by issuer (a commission: overdue and due soon) or by unit (a head: overdue). */
  readonly lists: Set<string>;
}

/**
 * The digests at `at`: each commission's secretaries and chair get the obligations the
 * commission issued that are overdue or due within three days; each head gets those of every
 * unit in his subtree that are overdue (what is merely due soon is told to the unit by its
 * reminders). People with nothing to list are not in the answer.
 */
export async function digestsAt(store: Store, at: Instant): Promise<Map<string, PersonDigest>> {
  const organisations = await store.directory.organisations();
  const byOrg = new Map(organisations.map((organisation) => [organisation.org, organisation]));
  const children = childrenOf(organisations);
  const membersByOrg = new Map<string, Member[]>();
  await mapWithConcurrency(organisations, 8, async ({ org }) => {
    membersByOrg.set(org, await store.directory.members(org));
  });

  const watchers = new Map<string, Watcher>();
  const watch = (member: Member, lists: readonly string[]): void => {
    let watcher = watchers.get(member.user);
    if (watcher === undefined) {
      watcher = { user: member.user, email: member.email, roles: new Set(), lists: new Set() };
      watchers.set(member.user, watcher);
    }
    watcher.roles.add(member.role);
    for (const list of lists) watcher.lists.add(list);
  };
  for (const organisation of organisations) {
    for (const member of membersByOrg.get(organisation.org) ?? []) {
      if (organisation.kind === 'commission' && COMMISSION_ROLES.includes(member.role)) watch(member, [listKey('issuer', organisation.org)]);
      if (HEAD_ROLES.includes(member.role)) watch(member, subtree(organisation.org, children).map((unit) => listKey('org', unit)));
    }
  }

  const lists = new Map<string, Promise<ListedObligation[]>>();
  const dueSoonTo = at + DUE_SOON_DAYS * DAY_MS;
  const read = (key: string): Promise<ListedObligation[]> => {
    let list = lists.get(key);
    if (list === undefined) {
      const [by, unit] = splitListKey(key);
      list = Promise.all([
        // store.obligations.list names #sk even when no range is given, which DynamoDB rejects: a range from the epoch.
        listAll(store, { by, key: unit, state: 'overdue', asOf: at, dueFrom: 0 }),
        listAll(store, { by, key: unit, state: 'open', asOf: at, dueTo: dueSoonTo }),
      ]).then((parts) => parts.flat());
      lists.set(key, list);
    }
    return list;
  };

  const digests = new Map<string, PersonDigest>();
  await mapWithConcurrency([...watchers.values()], 8, async (watcher) => {
    const obligations = new Map<string, ListedObligation>();
    for (const key of watcher.lists) {
      const commission = key.startsWith('issuer:');
      for (const obligation of await read(key)) if (commission || statusAt(obligation, at) === 'overdue') obligations.set(obligation.id, obligation);
    }
    if (obligations.size === 0) return;
    const items = [...obligations.values()].map((obligation) => itemOf(obligation, byOrg.get(obligation.org), at));
    digests.set(watcher.user, { user: watcher.user, email: watcher.email, roles: [...watcher.roles].sort(), items });
  });
  return digests;
}

function itemOf(obligation: ListedObligation, organisation: Organisation | undefined, at: Instant): DigestItem {
  const overdue = statusAt(obligation, at) === 'overdue';
  let rule: DigestItem['rule'];
  try {
    rule = findRule(obligation.rule).names;
  } catch {
    rule = { kk: obligation.rule, ru: obligation.rule, en: obligation.rule };
  }
  const grounds = overdueGroundsOf(obligation)?.names;
  return {
    rule,
    reference: obligation.caseRef,
    organisation: organisation?.names ?? obligation.org,
    dueAt: obligation.dueAt,
    overdue,
    ...(overdue && grounds !== undefined ? { grounds } : {}),
  };
}

function childrenOf(organisations: readonly Organisation[]): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const { org, parent } of organisations) {
    if (parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), org]);
  }
  return children;
}

/** A unit and every unit below it. */
function subtree(org: string, children: ReadonlyMap<string, readonly string[]>): string[] {
  const units = [org];
  const seen = new Set(units);
  for (let index = 0; index < units.length; index += 1) {
    for (const child of children.get(units[index] as string) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      units.push(child);
    }
  }
  return units;
}

type ListBy = Extract<ListQuery['by'], 'org' | 'issuer'>;
const listKey = (by: ListBy, key: string): string => `${by}:${key}`;
function splitListKey(key: string): [ListBy, string] {
  const at = key.indexOf(':');
  return [key.slice(0, at) as ListBy, key.slice(at + 1)];
}

async function listAll(store: Store, query: { by: ListBy; key: string; state: ListState; asOf: number; dueFrom?: number; dueTo?: number }): Promise<ListedObligation[]> {
  const items: ListedObligation[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.obligations.list({ ...query, ...(cursor === undefined ? {} : { cursor }) });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return items;
}

/** The schedule's instant, or now when a person invoked the function by hand. */
export function scheduledInstant(input: unknown, now: () => number): Instant {
  const { scheduledAt } = ScheduledEventSchema.parse(input ?? {});
  return scheduledAt === undefined ? now() : Date.parse(scheduledAt);
}
