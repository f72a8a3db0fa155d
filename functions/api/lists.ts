import { createHash } from 'node:crypto';
import { CursorInvalidError, type ListQuery } from '../adapters/store.ts';
import { DAY_MS, type Instant, KZ_OFFSET_MINUTES, formatInstant } from '../../shared/calendar/instant.ts';
import type { AppContext, Caller } from '../app/context.ts';
import type { Scope } from './scope.ts';
import { type RouteSpec, RequestInvalidError, authorize, json, parseInput } from './http.ts';
import { CaseQuerySchema, type ListQueryInput, ListQuerySchema } from './schemas.ts';
import { obligationView } from './views.ts';

/** GET /obligations: a work list, always one index query (never a scan); GET /cases: one case. */

const DEFAULT_DUE_SOON_DAYS = 3;
const OFFSET_MS = KZ_OFFSET_MINUTES * 60_000;
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

/**
 * The end of the week an instant falls in: the next Monday at 00:00 in Kazakhstan (+05:00), which
 * is Sunday 24:00. On a Sunday it is that night.
 */
export function weekEndOf(now: Instant): Instant {
  const day = Math.floor((now + OFFSET_MS) / DAY_MS);
  // 1 January 1970 was a Thursday: day 0 is weekday 4 (0 = Sunday).
  const weekday = (day + 4) % 7;
  const sunday = day + ((7 - weekday) % 7);
  return (sunday + 1) * DAY_MS - OFFSET_MS;
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
 * The API's cursor: a digest of the query and the caller, then the store's place in the list. A
 * cursor given back with another query, or by another caller, is refused; the place alone can
 * only lead within the list the query names (Store.list), which authorize() already allowed.
 */
const BINDING_LENGTH = 16;
function bindingOf(query: ListQueryInput, caller: Caller): string {
  const { limit: _limit, cursor: _cursor, ...rest } = query;
  const canonical = JSON.stringify([caller.user, caller.org, Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, BINDING_LENGTH);
}
function storeCursorOf(query: ListQueryInput, caller: Caller): string | undefined {
  if (query.cursor === undefined) return undefined;
  if (query.cursor.length <= BINDING_LENGTH || query.cursor.slice(0, BINDING_LENGTH) !== bindingOf(query, caller)) throw CURSOR_INVALID();
  return query.cursor.slice(BINDING_LENGTH);
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
      // Always a range on the sort key: Store.list names #sk even when it sets no range, which
      // DynamoDB refuses ("ExpressionAttributeNames unused"); due at or after the epoch is every item.
      dueFrom: group?.dueFrom ?? 0,
      ...(group?.dueTo !== undefined ? { dueTo: group.dueTo } : {}),
      ...(group === undefined && status === 'due-soon' ? { dueTo: now + (query.within ?? DEFAULT_DUE_SOON_DAYS) * DAY_MS } : {}),
      ...(query.caseRef === undefined ? {} : { caseRefPrefix: query.caseRef }),
      limit: query.limit,
      ...(cursor === undefined ? {} : { cursor }),
    };
    const [page, total] = await Promise.all([
      readPage(cursor, () => app.store.list(list)),
      // The size of the group: counted by the index for a unit's or an issuer's list, whose every
      // item the caller sees; an assignee's list is counted from what the caller sees of it below.
      group === undefined || by === 'assignee' ? undefined : app.store.count(list),
    ]);
    // An assignee's list is by person, not by unit: only what the caller reaches is shown (a
    // page may then be shorter than the limit; the cursor still goes on from where it stopped).
    const items = by === 'assignee' && !scope.admin ? await filterAsync(page.items, (obligation) => scope.sees(obligation)) : page.items;
    const binding = bindingOf(query, scope.caller);
    return json(200, {
      obligations: items.map((obligation) => obligationView(obligation, now)),
      ...(page.cursor === undefined ? {} : { cursor: `${binding}${page.cursor}` }),
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
    const page = await app.store.list({ ...list, limit: 100, ...(cursor === undefined ? {} : { cursor }) });
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
    const all = await app.store.caseObligations(caseRef);
    const seen = scope.admin ? all : await filterAsync(all, (obligation) => scope.sees(obligation));
    return json(200, { caseRef, obligations: seen.map((obligation) => obligationView(obligation, app.now())) });
  },
};
