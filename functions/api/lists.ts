import type { ListQuery } from '../adapters/store.ts';
import { type RouteSpec, RequestInvalidError, authorize, json, parseInput } from './http.ts';
import { ListQuerySchema } from './schemas.ts';
import { obligationView } from './views.ts';

/** GET /obligations: a work list, always one index query (never a scan). */

const DAY_MS = 86_400_000;
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
    if (cursor !== undefined && error instanceof Error && error.name === 'ValidationException') throw CURSOR_INVALID();
    throw error;
  }
}

export const listObligationsRoute: RouteSpec = {
  async run({ event, app, scope }) {
    const query = parseInput('query', ListQuerySchema, event.queryStringParameters ?? {});
    checkCursor(query.cursor);
    const [by, key] =
      query.org !== undefined ? (['org', query.org] as const) : query.assignee !== undefined ? (['assignee', query.assignee] as const) : (['issuer', query.issuer ?? ''] as const);
    await authorize(scope, { kind: 'obligations:list', by, key });
    const list: ListQuery = {
      by,
      key,
      state: query.status === 'due-soon' ? 'open' : query.status,
      // Open is due after now, overdue due by now: an obligation falls overdue with nothing written.
      asOf: app.now(),
      // Always a range on the sort key: Store.list names #sk even when it sets no range, which
      // DynamoDB refuses ("ExpressionAttributeNames unused"); due at or after the epoch is every item.
      dueFrom: 0,
      ...(query.status === 'due-soon' ? { dueTo: app.now() + (query.within ?? DEFAULT_DUE_SOON_DAYS) * DAY_MS } : {}),
      limit: query.limit,
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    };
    const page = await readPage(query.cursor, () => app.store.list(list));
    // An assignee's list is by person, not by unit: only what the caller reaches is shown (a
    // page may then be shorter than the limit; the cursor still goes on from where it stopped).
    const items = by === 'assignee' && !scope.admin ? await filterAsync(page.items, (obligation) => scope.sees(obligation)) : page.items;
    return json(200, { obligations: items.map((obligation) => obligationView(obligation, app.now())), ...(page.cursor === undefined ? {} : { cursor: page.cursor }) });
  },
};

async function filterAsync<T>(items: readonly T[], keep: (item: T) => Promise<boolean>): Promise<T[]> {
  const kept = await Promise.all(items.map(keep));
  return items.filter((_, index) => kept[index] === true);
}
