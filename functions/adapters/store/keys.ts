import { type IndexState, type Obligation, type ObligationEvent, deadlineOf, indexStateOf } from '../../../shared/model/index.ts';
import { TABLE } from '../../../contract/index.ts';
import { CursorInvalidError } from './errors.ts';
import type { NoticeRecord, Snapshot } from './records.ts';

/**
 * The table's layout (ARCHITECTURE.md, Data): every key, every index attribute and every key
 * condition is made here, and the repositories only ask for them. What is read together shares a
 * partition: an obligation with its audit trail and its notices (`OBL#<id>`), the directory's
 * units (`DIR`), a unit's members (`ORG#<org>`), the directory gaps (`GAPS`), the calendar
 * overrides (`CAL#KZ`), a unit's weekly snapshots (`SNAP#<org>`).
 */

export interface Key {
  readonly pk: string;
  readonly sk: string;
}

/** A query's key condition on the table (no index). */
export interface KeyCondition {
  readonly KeyConditionExpression: string;
  readonly ExpressionAttributeValues: Record<string, string>;
}

const iso = (instant: number): string => new Date(instant).toISOString();
const partition = (pk: string): KeyCondition => ({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } });
const prefixed = (pk: string, prefix: string): KeyCondition => ({
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
  ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
});

// An obligation, its audit trail and its notices

const obligationPartition = (id: string): string => `OBL#${id}`;
const OBLIGATION_SORT_KEY = 'META';
export const obligationKey = (id: string): Key => ({ pk: obligationPartition(id), sk: OBLIGATION_SORT_KEY });
/** Whether an item under an obligation is the obligation's own (not an event's, not a notice's). */
export const isObligationKey = (key: Key): boolean => key.sk === OBLIGATION_SORT_KEY && key.pk.startsWith('OBL#');

/** An event's place in the trail: the instant it was recorded, then its sequence number. */
export const eventKey = (event: Pick<ObligationEvent, 'obligationId' | 'recordedAt' | 'seq'>): Key => ({
  pk: obligationPartition(event.obligationId),
  sk: `EV#${iso(event.recordedAt)}#${String(event.seq).padStart(6, '0')}`,
});

/**
 * The attribute of an obligation's item that holds its `opened` entry: an opening writes the
 * obligation and that entry in one PutItem (issue 20), and the audit trail reads it from there.
 */
export const OPENED_ENTRY = 'openedEntry';

/**
 * The audit trail, in order; from an instant on (recorded at or after it) when given. The range
 * runs on to the obligation's own item (`META` sorts right after `EV#…`), which may hold the
 * `opened` entry (OPENED_ENTRY): one query reads both.
 */
export function eventsCondition(id: string, recordedFrom?: number): KeyCondition {
  return {
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': obligationPartition(id), ':from': recordedFrom === undefined ? 'EV#' : `EV#${iso(recordedFrom)}`, ':to': OBLIGATION_SORT_KEY },
  };
}

/** What names one notice: one per recipient at one milestone instant of an obligation. */
export type NoticePlace = Pick<NoticeRecord, 'obligationId' | 'milestone' | 'milestoneAt' | 'recipient'>;
const NOTICE_PREFIX = 'NOTE#';

/** A notice's key under its obligation, from its sort key (as a message record or an address keeps it). */
export const noticeKeyOf = (obligationId: string, sk: string): Key => ({ pk: obligationPartition(obligationId), sk });

/** A notice's key: the one place it is written out. */
export function noticeKey(notice: NoticePlace): Key {
  return noticeKeyOf(notice.obligationId, `${NOTICE_PREFIX}${notice.milestone}#${iso(notice.milestoneAt)}#${notice.recipient}`);
}

/** Where a message's outbox item is, as the message's NOTICE_HEADER says it: `<obligationId>/<notice key>`. */
export function noticeAddress(notice: NoticePlace): string {
  return `${notice.obligationId}/${noticeKey(notice).sk}`;
}

/** The key an address (noticeAddress) names; undefined when it has no obligation before its slash. */
export function noticeKeyAt(address: string): { readonly obligationId: string; readonly key: Key } | undefined {
  const slash = address.indexOf('/');
  if (slash <= 0) return undefined;
  const obligationId = address.slice(0, slash);
  return { obligationId, key: noticeKeyOf(obligationId, address.slice(slash + 1)) };
}

/** Whether a key under an obligation is a notice's (not the obligation's, not an event's). */
export const isNoticeKey = (key: Key): boolean => key.sk.startsWith(NOTICE_PREFIX);

/** Every notice of an obligation (or of a digest's outbox id). */
export const noticesCondition = (obligationId: string): KeyCondition => prefixed(obligationPartition(obligationId), NOTICE_PREFIX);

/** SES's MessageId → the notice it was sent for. */
export const messageKey = (messageId: string): Key => ({ pk: `MSG#${messageId}`, sk: 'MSG' });

// The outbox's lists: partitions of one index (TABLE.noticeLists)

const noticeListIndex = TABLE.indexes[TABLE.noticeLists.index];
/** The attribute names of the outbox's lists: an update that puts a notice in a list, or takes it out, names these. */
export const NOTICE_LIST = { partitionKey: noticeListIndex.partitionKey, sortKey: noticeListIndex.sortKey } as const;

/** A failed notice's entry in the dead-letter list: oldest milestone first. */
export const failedNoticeEntry = (notice: NoticePlace): { readonly partition: string; readonly sort: string } => ({
  partition: TABLE.noticeLists.failed,
  sort: `${iso(notice.milestoneAt)}#${noticeAddress(notice)}`,
});

/** A queued notice's attributes in the morning mail's queue: by recipient, then milestone. */
export const queuedNoticeAttributes = (notice: NoticePlace): Record<string, string> => ({
  [NOTICE_LIST.partitionKey]: TABLE.noticeLists.queued,
  [NOTICE_LIST.sortKey]: `${notice.recipient}#${iso(notice.milestoneAt)}#${noticeAddress(notice)}`,
});

/** The query of one of the outbox's lists. */
export const noticeListCondition = (list: 'failed' | 'queued') => ({
  IndexName: TABLE.noticeLists.index,
  KeyConditionExpression: '#pk = :pk',
  ExpressionAttributeNames: { '#pk': NOTICE_LIST.partitionKey },
  ExpressionAttributeValues: { ':pk': TABLE.noticeLists[list] },
});

// Idempotency

export const idempotencyKey = (key: string): Key => ({ pk: `IDEM#${key}`, sk: 'IDEM' });

// The organisation directory

const DIRECTORY = 'DIR';
const memberPartition = (org: string): string => `ORG#${org}`;
const DIRECTORY_GAPS = 'GAPS';
export const organisationKey = (org: string): Key => ({ pk: DIRECTORY, sk: `ORG#${org}` });
export const organisationsCondition = (): KeyCondition => partition(DIRECTORY);
export const memberKey = (member: { readonly org: string; readonly user: string }): Key => ({ pk: memberPartition(member.org), sk: `MEMBER#${member.user}` });
export const membersCondition = (org: string): KeyCondition => prefixed(memberPartition(org), 'MEMBER#');
/** One gap per (unit, role). */
export const directoryGapKey = (gap: { readonly org: string; readonly role: string }): Key => ({ pk: DIRECTORY_GAPS, sk: `ORG#${gap.org}#ROLE#${gap.role}` });
export const directoryGapsCondition = (): KeyCondition => partition(DIRECTORY_GAPS);

// Calendar overrides

const CALENDAR = 'CAL#KZ';
export const calendarOverrideKey = (date: string): Key => ({ pk: CALENDAR, sk: date });
export const calendarOverridesCondition = (): KeyCondition => partition(CALENDAR);
/** A counter every change of the overrides moves: a function reads it (one GetItem) to know its cached calendar is current. */
export const calendarVersionKey = (): Key => ({ pk: `${CALENDAR}#VERSION`, sk: 'VERSION' });

// Weekly snapshots (issue 19)

const snapshotPartition = (org: string): string => `SNAP#${org}`;
export const snapshotKey = (snapshot: Pick<Snapshot, 'org' | 'weekEnd'>): Key => ({ pk: snapshotPartition(snapshot.org), sk: snapshot.weekEnd });
/** A unit's snapshots of the weeks ending from `from` to `to` (Sundays, inclusive). */
export const snapshotsCondition = (org: string, from: string, to: string): KeyCondition => ({
  KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
  ExpressionAttributeValues: { ':pk': snapshotPartition(org), ':from': from, ':to': to },
});

// The work-list indexes

export type ListBy = 'org' | 'assignee' | 'issuer';
const LISTS = {
  org: { name: 'byOrg', index: TABLE.indexes.byOrg, prefix: 'ORG' },
  assignee: { name: 'byAssignee', index: TABLE.indexes.byAssignee, prefix: 'USER' },
  issuer: { name: 'byIssuer', index: TABLE.indexes.byIssuer, prefix: 'ISSUER' },
} as const;

/** The index a work list is read from: its name and its key attributes. */
export function listIndex(by: ListBy): { readonly name: string; readonly partitionKey: string; readonly sortKey: string } {
  const { name, index } = LISTS[by];
  return { name, partitionKey: index.partitionKey, sortKey: index.sortKey };
}

/** A work list's partition: whose list, open (open and overdue) or closed. */
export const listPartition = (by: ListBy, key: string, state: IndexState): string => `${LISTS[by].prefix}#${key}#${state}`;

/** A work-list index's sort key: the due instant, then the obligation's id. */
const listSortKey = (obligation: Pick<Obligation, 'dueAt' | 'id'>): string => `${iso(obligation.dueAt)}#${obligation.id}`;
const LIST_PLACE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#(.+)$/;

/** The lowest sort key of a work list due at or after an instant. */
export const dueFromKey = (instant: number): string => iso(instant);
/** The highest sort key of a work list due at or before an instant. */
export const dueToKey = (instant: number): string => `${iso(instant)}#~`;

/** The place of an obligation in a work list, as `list`'s cursor holds it: a page may end there. */
export function listPlaceOf(obligation: Pick<Obligation, 'dueAt' | 'id'>): string {
  return Buffer.from(listSortKey(obligation)).toString('base64url');
}

/** The cursor of a work list's page that stopped at `lastKey` (DynamoDB's LastEvaluatedKey): its place alone. */
export function listCursorAfter(lastKey: Record<string, unknown> | undefined, by: ListBy): { cursor?: string } {
  const stoppedAt = lastKey?.[listIndex(by).sortKey];
  return typeof stoppedAt === 'string' ? { cursor: Buffer.from(stoppedAt).toString('base64url') } : {};
}

/** The key to start a work list's page after: the partition of the query, the place of the cursor. */
export function listStartAfter(cursor: string | undefined, by: ListBy, partition: string): { ExclusiveStartKey?: Record<string, unknown> } {
  if (cursor === undefined) return {};
  const index = listIndex(by);
  const place = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = LIST_PLACE.exec(place)?.[1];
  if (id === undefined) throw new CursorInvalidError('not a place in a work list');
  return { ExclusiveStartKey: { ...obligationKey(id), [index.partitionKey]: partition, [index.sortKey]: place } };
}

/** A page's cursor: DynamoDB's LastEvaluatedKey, opaque to the caller. */
export const cursorAfter = (key: Record<string, unknown> | undefined): { cursor?: string } =>
  key === undefined ? {} : { cursor: Buffer.from(JSON.stringify(key)).toString('base64url') };
export const startAfter = (cursor: string | undefined): { ExclusiveStartKey?: Record<string, unknown> } =>
  cursor === undefined ? {} : { ExclusiveStartKey: JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown> };

// The case view and the reconciler's sparse index

const casePartition = (caseRef: string): string => `CASE#${caseRef}`;
/** Every obligation of one case reference, open and closed. */
export const caseCondition = (caseRef: string) => ({
  IndexName: 'byCase',
  KeyConditionExpression: '#pk = :pk',
  ExpressionAttributeNames: { '#pk': TABLE.indexes.byCase.partitionKey },
  ExpressionAttributeValues: { ':pk': casePartition(caseRef) },
});

export const LIVE_SHARDS = 4;
const livePartition = (shard: number): string => `LIVE#${shard}`;

export function shardOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % LIVE_SHARDS;
}

/** The ids of one shard of the sparse index of obligations that still need a timer. */
export const liveCondition = (shard: number) => ({
  IndexName: 'live',
  KeyConditionExpression: '#pk = :pk',
  ExpressionAttributeNames: { '#pk': TABLE.indexes.live.partitionKey },
  ExpressionAttributeValues: { ':pk': livePartition(shard) },
  ProjectionExpression: TABLE.indexes.live.sortKey,
});

/**
 * Keys of an obligation in the indexes; only the attributes that apply. `live`: whether it still
 * needs a timer (the application's decision, shared/obligations/lifecycle.ts `needsTimer`), which
 * puts it in the reconciler's sparse index. And what the work-list indexes copy of its plan
 * (TABLE.deadline): they never copy the plan itself.
 */
export function indexAttributes(obligation: Obligation, live: boolean): Record<string, unknown> {
  const state = indexStateOf(obligation.status);
  const sortKey = listSortKey(obligation);
  const { byOrg, byAssignee, byIssuer, byCase } = TABLE.indexes;
  const attributes: Record<string, unknown> = {
    [TABLE.deadline]: deadlineOf(obligation.plan),
    [byOrg.partitionKey]: listPartition('org', obligation.org, state),
    [byOrg.sortKey]: sortKey,
    [byCase.partitionKey]: casePartition(obligation.caseRef),
    [byCase.sortKey]: sortKey,
  };
  if (obligation.assignee !== undefined) {
    attributes[byAssignee.partitionKey] = listPartition('assignee', obligation.assignee, state);
    attributes[byAssignee.sortKey] = sortKey;
  }
  if (obligation.issuedBy !== undefined) {
    attributes[byIssuer.partitionKey] = listPartition('issuer', obligation.issuedBy, state);
    attributes[byIssuer.sortKey] = sortKey;
  }
  if (live) {
    attributes[TABLE.indexes.live.partitionKey] = livePartition(shardOf(obligation.id));
    attributes[TABLE.indexes.live.sortKey] = obligation.id;
  }
  return attributes;
}
