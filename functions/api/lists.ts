import { CursorInvalidError, type ListQuery, type ListedObligation, listPlaceOf } from '../adapters/store/index.ts';
import { DAY_MS, type Instant, formatInstant, weekEndOf } from '../../shared/base/index.ts';
import type { AppContext, Caller } from '../app/context.ts';
import { openCursor, sealCursor } from './cursor.ts';
import type { Scope } from './scope.ts';
import { type RouteSpec, authorize, json, parseInput } from './http.ts';
import { RequestInvalidError } from './errors.ts';
import { CaseQuerySchema, type ListQueryInput, ListQuerySchema } from './schemas.ts';
import { listedView } from './views.ts';

/** GET /obligations: a work list, always one index query (never a scan); GET /cases: one case. */

const DEFAULT_DUE_SOON_DAYS = 3;
const CURSOR_INVALID = () => new RequestInvalidError('invalid query: cursor: not a cursor of this list', [{ path: 'cursor', message: 'not a cursor of this list: start again without it' }]);

/** A cursor is the base64url JSON of the last key read: an object of string keys. */
export function checkCursor(cursor: string | undefined): void {
  if (cursor === undefined) return;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw CURSOR_INVALID();
  }
  const valid =
    typeof key === 'object' && key !== null && !Array.isArray(key) && Object.keys(key).length <= 4 && Object.values(key).every((value) => typeof value === 'string');
  if (!valid) throw CURSOR_INVALID();
}

/**
 * Reads one page of a list from a cursor checkCursor let through: a cursor of another list (or a
 * made-up one), which the table itself refuses, is a 400 on the field `cursor`.
 */
export async function readPage<T>(cursor: string | undefined, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (cursor !== undefined && error instanceof Error && (error.name === 'ValidationException' || error instanceof CursorInvalidError)) throw CURSOR_INVALID();
    throw error;
  }
}

/** What a group of the open work is in the store's terms: its state and due range, at now. */
function groupRange(group: NonNullable<ListQueryInput['group']>, now: Instant): { state: 'open' | 'overdue'; dueFrom?: Instant; dueTo?: Instant; dueAfter?: Instant; dueBy?: Instant } {
  const weekEnd = weekEndOf(now);
  switch (group) {
    case 'overdue':
      return { state: 'overdue', dueBy: now };
    case 'week':
      return { state: 'open', dueTo: weekEnd, dueAfter: now, dueBy: weekEnd };
    case 'later':
      return { state: 'open', dueFrom: weekEnd + 1, dueAfter: weekEnd };
  }
}

/**
 * What a cursor is bound to: the caller (user, unit, groups) and the query but its limit and
 * cursor. A cursor given back with another query, or by another caller, does not open
 * (functions/api/cursor.ts).
 */
function bindingOf(query: ListQueryInput, caller: Caller): string {
  const { limit: _limit, cursor: _cursor, ...rest } = query;
  return JSON.stringify([caller.user, caller.org, [...caller.groups].sort(), Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))]);
}
function storeCursorOf(query: ListQueryInput, caller: Caller): string | undefined {
  if (query.cursor === undefined) return undefined;
  const place = openCursor(query.cursor, bindingOf(query, caller));
  if (place === undefined) throw CURSOR_INVALID();
  return place;
}

/**
 * How many index pages one request reads at most, looking for obligations the caller sees in
 * another person's assignments (100 items each): past that, the page is given short, with a
 * cursor where the reading stopped. Only then may a cursor hold the place of an obligation the
 * caller does not see, and it holds it sealed.
 */
const MAX_READS = 10;
const READ_SIZE = 100;

/**
 * One page of what the caller sees: read on from `cursor` until `limit` are found or the list
 * ends. The next page's place is the last obligation given, so that a cursor never points at an
 * obligation left out (only when MAX_READS stops the reading early, see above).
 */
async function visiblePage(app: AppContext, list: ListQuery, limit: number, cursor: string | undefined, visible: ((obligation: ListedObligation) => Promise<boolean>) | undefined): Promise<{ items: ListedObligation[]; cursor?: string }> {
  if (visible === undefined) return readPage(cursor, () => app.store.obligations.list({ ...list, limit, ...(cursor === undefined ? {} : { cursor }) }));
  const items: ListedObligation[] = [];
  let from = cursor;
  for (let reads = 0; ; reads += 1) {
    const page = await readPage(from, () => app.store.obligations.list({ ...list, limit: READ_SIZE, ...(from === undefined ? {} : { cursor: from }) }));
    const seen = await Promise.all(page.items.map(visible));
    for (const [index, obligation] of page.items.entries()) {
      if (seen[index] !== true) continue;
      items.push(obligation);
      if (items.length === limit) return { items, ...(index === page.items.length - 1 && page.cursor === undefined ? {} : { cursor: listPlaceOf(obligation) }) };
    }
    if (page.cursor === undefined) return { items };
    if (reads + 1 >= MAX_READS) return { items, cursor: page.cursor };
    from = page.cursor;
  }
}

export const listObligationsRoute: RouteSpec = {
  async run({ event, app, scope }) {
    const query = parseInput('query', ListQuerySchema, event.queryStringParameters ?? {});
    const cursor = storeCursorOf(query, scope.caller);
    const [by, key] =
      query.org !== undefined ? (['org', query.org] as const) : query.assignee !== undefined ? (['assignee', query.assignee] as const) : (['issuer', query.issuer ?? ''] as const);
    await authorize(scope, { kind: 'obligations:list', by, key });
    const now = app.now();
    const status = query.status ?? 'open';
    const group = query.group === undefined ? undefined : groupRange(query.group, now);
    const list: ListQuery = {
      by,
      key,
      state: group?.state ?? (status === 'due-soon' ? 'open' : status),
      // Open is due after now, overdue due by now: an obligation falls overdue with nothing written.
      asOf: now,
      // Always a range on the sort key: store.obligations.list names #sk even when it sets no range, which
      // DynamoDB refuses ("ExpressionAttributeNames unused"); due at or after the epoch is every item.
      dueFrom: group?.dueFrom ?? 0,
      ...(group?.dueTo !== undefined ? { dueTo: group.dueTo } : {}),
      ...(group === undefined && status === 'due-soon' ? { dueTo: now + (query.within ?? DEFAULT_DUE_SOON_DAYS) * DAY_MS } : {}),
      ...(query.caseRef === undefined ? {} : { caseRefPrefix: query.caseRef }),
    };
    // An assignee's list is by person, not by unit: only what the caller reaches is shown. A
    // unit's or an issuer's list is shown whole: authorize() let the caller ask for it.
    const visible = by === 'assignee' && !scope.admin ? (obligation: ListedObligation) => scope.sees(obligation) : undefined;
    const [page, total] = await Promise.all([
      visiblePage(app, list, query.limit, cursor, visible),
      // The size of the group: counted by the index for a unit's or an issuer's list, whose every
      // item the caller sees; an assignee's list is counted from what the caller sees of it below.
      group === undefined || by === 'assignee' ? undefined : app.store.obligations.count(list),
    ]);
    return json(200, {
      obligations: page.items.map((obligation) => listedView(obligation, now)),
      ...(page.cursor === undefined ? {} : { cursor: sealCursor(page.cursor, bindingOf(query, scope.caller)) }),
      ...(group === undefined || query.group === undefined
        ? {}
        : {
            group: {
              name: query.group,
              asOf: formatInstant(now),
              ...(group.dueAfter === undefined ? {} : { dueAfter: formatInstant(group.dueAfter) }),
              ...(group.dueBy === undefined ? {} : { dueBy: formatInstant(group.dueBy) }),
              total: total ?? (await countSeen(app, scope, list)),
            },
          }),
    });
  },
};

async function filterAsync<T>(items: readonly T[], keep: (item: T) => Promise<boolean>): Promise<T[]> {
  const kept = await Promise.all(items.map(keep));
  return items.filter((_, index) => kept[index] === true);
}

/** The size of an assignee's group as the caller sees it: every page read, the unseen left out. */
async function countSeen(app: AppContext, scope: Scope, list: ListQuery): Promise<number> {
  let seen = 0;
  let cursor: string | undefined;
  do {
    const page = await app.store.obligations.list({ ...list, limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    seen += scope.admin ? page.items.length : (await filterAsync(page.items, (obligation) => scope.sees(obligation))).length;
    cursor = page.cursor;
  } while (cursor !== undefined);
  return seen;
}

/**
 * GET /cases?caseRef=: every obligation of one case reference the caller can see (functions/api/
 * scope.ts: its unit or its issuer in reach), open and closed. One index query; what the caller
 * does not see is left out, and nothing says it exists. No cursor: a case holds a handful.
 */
export const caseRoute: RouteSpec = {
  async run({ event, app, scope }) {
    const { caseRef } = parseInput('query', CaseQuerySchema, event.queryStringParameters ?? {});
    const all = await app.store.obligations.caseObligations(caseRef);
    const seen = scope.admin ? all : await filterAsync(all, (obligation) => scope.sees(obligation));
    const now = app.now();
    return json(200, { caseRef, obligations: seen.map((obligation) => listedView(obligation, now)) });
  },
};
