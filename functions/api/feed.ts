import type { EventAttributes } from 'ics';
import * as z from 'zod';
import { type Language, LANGUAGES, formatInstant } from '../../shared/base/index.ts';
import { statusAt } from '../../shared/model/index.ts';
import { findRule } from '../../shared/rules/index.ts';
import type { ListQuery, ListedObligation } from '../adapters/store/index.ts';
import type { AppContext, Caller } from '../app/context.ts';
import { type RouteSpec, parseInput } from './http.ts';
import type { Scope } from './scope.ts';

/**
 * GET /me/calendar.ics: the caller's due dates as an iCalendar file (RFC 5545), for a calendar
 * application to import. Behind the JWT like every other route (never a token in the query
 * string): the dashboard fetches it with its bearer token and saves it as a file.
 *
 * It holds what the caller's own unit must do (open and overdue), what is assigned to the caller,
 * and what the caller's unit waits for from others (a commission's decisions and submissions):
 * all of it the caller's own: the unit and the issuer are the token's unit, and of the
 * assignments only those the caller reaches are shown.
 */

export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';

export const FeedQuerySchema = z.strictObject({
  lang: z.enum(LANGUAGES).default('ru').meta({ description: 'The language of the events’ titles: kk, ru (default) or en' }),
});

const PAGE = 100;
/** Enough for any one unit's live work; a feed is not an export. */
const MOST_PAGES = 20;

const SUMMARY_WORDS: Record<Language, { due: string; overdue: string; expires: string; awaited: string }> = {
  kk: { due: 'Мерзімі', overdue: 'Мерзімі өтіп кетті', expires: 'Қолданылу мерзімі бітеді', awaited: 'Жауап күтілуде' },
  ru: { due: 'Срок', overdue: 'Срок пропущен', expires: 'Истекает', awaited: 'Ожидается ответ' },
  en: { due: 'Due', overdue: 'Overdue', expires: 'Expires', awaited: 'Reply awaited' },
};

async function listAll(app: AppContext, by: ListQuery['by'], key: string, state: 'open' | 'overdue'): Promise<ListedObligation[]> {
  const items: ListedObligation[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MOST_PAGES; page++) {
    const answer = await app.store.obligations.list({ by, key, state, asOf: app.now(), dueFrom: 0, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
    items.push(...answer.items);
    cursor = answer.cursor;
    if (cursor === undefined) break;
  }
  return items;
}

/**
 * The obligations of the feed, each once, by due instant. The caller's assignments are by person,
 * not by unit: as in GET /obligations?assignee=, only those the caller reaches are shown (one
 * assigned in a unit they have left stays with that unit).
 */
export async function feedObligations(app: AppContext, caller: Caller, scope: Scope): Promise<{ obligation: ListedObligation; awaited: boolean }[]> {
  const lists = await Promise.all(
    (['open', 'overdue'] as const).flatMap((state) => [
      listAll(app, 'org', caller.org, state).then((items) => items.map((obligation) => ({ obligation, awaited: false }))),
      listAll(app, 'assignee', caller.user, state)
        .then((items) => (scope.admin ? items : filterSeen(scope, items)))
        .then((items) => items.map((obligation) => ({ obligation, awaited: false }))),
      listAll(app, 'issuer', caller.org, state).then((items) => items.map((obligation) => ({ obligation, awaited: obligation.org !== caller.org }))),
    ]),
  );
  const byId = new Map<string, { obligation: ListedObligation; awaited: boolean }>();
  for (const entry of lists.flat()) if (!byId.has(entry.obligation.id)) byId.set(entry.obligation.id, entry);
  return [...byId.values()].sort((a, b) => a.obligation.dueAt - b.obligation.dueAt || a.obligation.id.localeCompare(b.obligation.id));
}

async function filterSeen(scope: Scope, items: readonly ListedObligation[]): Promise<ListedObligation[]> {
  const seen = await Promise.all(items.map((obligation) => scope.sees(obligation)));
  return items.filter((_, index) => seen[index] === true);
}

export async function calendarFile(entries: readonly { obligation: ListedObligation; awaited: boolean }[], lang: Language, stamp: number): Promise<string> {
  const words = SUMMARY_WORDS[lang];
  const events = entries.map(({ obligation, awaited }): EventAttributes => {
    const rule = findRule(obligation.rule);
    const expiry = obligation.deadline.expiry === true;
    // The file is made now (`stamp`): an open obligation whose due instant has passed is overdue.
    const prefix = statusAt(obligation, stamp) === 'overdue' ? words.overdue : awaited ? words.awaited : expiry ? words.expires : words.due;
    const label = obligation.label === undefined ? '' : ` (${obligation.label})`;
    return {
      uid: `${obligation.id}-r${obligation.revision}-c${obligation.cycle}@merzim`,
      start: obligation.dueAt,
      startInputType: 'utc',
      startOutputType: 'utc',
      duration: { minutes: 30 },
      title: `${prefix}: ${rule.names[lang]}, ${obligation.caseRef}${label}`,
      description: [
        `${rule.names.kk}`,
        `${rule.names.ru}`,
        `${obligation.caseRef}${label} · ${obligation.org}`,
        `${formatInstant(obligation.dueAt)}`,
        `${obligation.id}`,
      ].join('\n'),
      categories: [obligation.rule],
      status: 'CONFIRMED',
      busyStatus: 'FREE',
      transp: 'TRANSPARENT',
      sequence: obligation.revision + obligation.cycle - 2,
      lastModified: obligation.updatedAt,
      created: stamp,
      alarms: [{ action: 'display', description: rule.names[lang], trigger: { hours: 24, before: true } }],
    };
  });
  // Loaded by the feed alone, not at every cold start of the API.
  const { createEvents } = await import('ics');
  const result = createEvents(events, { productId: '-//Merzim//Due dates//KK-RU-EN', calName: 'Merzim', method: 'PUBLISH' });
  if (result.error !== null || result.value === null) throw result.error ?? new Error('the calendar could not be written');
  return foldByOctets(result.value);
}

/**
 * RFC 5545 §3.1 folds content lines at 75 octets; `ics` folds at 75 characters, which for
 * Kazakh and Russian text is up to 150 octets. Unfold, then fold again by octets, never inside
 * a character.
 */
export function foldByOctets(text: string): string {
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n');
  return lines
    .map((line) => {
      const parts: string[] = [];
      let part = '';
      let octets = 0;
      for (const char of line) {
        const size = Buffer.byteLength(char, 'utf8');
        // A continuation line starts with one space, which counts towards its 75.
        if (octets + size > (parts.length === 0 ? 75 : 74)) {
          parts.push(part);
          part = '';
          octets = 0;
        }
        part += char;
        octets += size;
      }
      parts.push(part);
      return parts.join('\r\n ');
    })
    .join('\r\n');
}

export const calendarFeedRoute: RouteSpec = {
  async run({ event, app, caller, scope }) {
    const { lang } = parseInput('query', FeedQuerySchema, event.queryStringParameters ?? {});
    const entries = await feedObligations(app, caller, scope);
    return {
      statusCode: 200,
      headers: {
        'content-type': CALENDAR_CONTENT_TYPE,
        'content-disposition': 'attachment; filename="merzim.ics"',
        'cache-control': 'private, no-store',
      },
      body: await calendarFile(entries, lang, app.now()),
    };
  },
};
