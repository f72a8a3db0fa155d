import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  DeleteCommand,
  GetCommand,
  PutCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
  paginateQuery,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { type CalendarOverride, CalendarOverrideSchema } from '../../shared/calendar/overrides.ts';
import { type Member, MemberSchema, type Organisation, OrganisationSchema } from '../../shared/base/directory.ts';
import { ChangedMeanwhileError } from '../../shared/base/errors.ts';
import {
  type ListState,
  type Obligation,
  type ObligationEvent,
  ObligationEventSchema,
  ObligationSchema,
  PlanStoredSchema,
  indexStateOf,
} from '../../shared/model/obligation.ts';
import { needsTimer } from '../../shared/obligations/lifecycle.ts';
import { findRule } from '../../shared/rules/catalog.ts';
import { ENV, TABLE } from '../../contract/index.ts';
import { awsClients, requiredEnv } from './aws.ts';
import { openedWithTally, savedWithTally } from './tally.ts';
import { z } from 'zod';

/**
 * The one table (ARCHITECTURE.md, Data): obligations with their audit trail and outbox, the
 * organisation directory, calendar overrides and idempotency records. Work lists are index
 * queries; nothing here scans.
 */

export const LIVE_SHARDS = 4;

/** Someone else wrote the obligation since it was read: read again and retry, or give up. */
export class StaleObligationError extends ChangedMeanwhileError {
  override readonly name = 'StaleObligationError';
}

/** An obligation with this id exists already. */
export class ObligationExistsError extends Error {
  override readonly name = 'ObligationExistsError';
}

/** The Idempotency-Key was used before: the record says for what. */
export class IdempotencyKeyUsedError extends Error {
  override readonly name = 'IdempotencyKeyUsedError';
}

/**
 * Another request with the same Idempotency-Key is being written at this very moment (DynamoDB
 * cancels one of two transactions on the same item with TransactionConflict): wait, then read
 * the record it leaves.
 */
export class IdempotencyKeyBusyError extends Error {
  override readonly name = 'IdempotencyKeyBusyError';
}

export const IdempotencyRecordSchema = z.object({
  key: z.string(),
  requestHash: z.string(),
  obligationIds: z.array(z.string()),
  createdAt: z.number(),
});
export type IdempotencyRecord = z.infer<typeof IdempotencyRecordSchema>;

/**
 * One notice to one recipient at one milestone instant of an obligation: the outbox's unit. It
 * keeps who was told and the subject, never the text (LEGAL.md §5), and nothing beside these
 * fields: it is written and read through this schema. `pending` while an attempt sends it (or,
 * after a crash, until SES's Send event or the claim's age settles whether it went), `sent`,
 * `failed` (the dead-letter list until a retry sends it), then `bounced` or `complained`.
 */
export const NoticeRecordSchema = z.strictObject({
  obligationId: z.string(),
  revision: z.number().int(),
  milestone: z.string(),
  /** When the milestone fell: a plan that moves it tells again, a restart of the same plan does not. */
  milestoneAt: z.number(),
  recipient: z.string(),
  email: z.string(),
  role: z.string(),
  subject: z.string(),
  status: z.enum(['queued', 'withdrawn', 'pending', 'sent', 'failed', 'bounced', 'complained']),
  claimedAt: z.number(),
  /**
   * A queued notice: the address (noticeAddress) of the morning mail that carries it, written
   * before that mail is sent; it is `sent` once that mail went.
   */
  mail: z.string().optional(),
  /** Why a queued notice was not sent: its obligation closed, or its plan moved the milestone, before the morning. */
  withdrawnBecause: z.enum(['closed', 'replanned']).optional(),
  /**
   * A queued notice's occasion: the cycle and the plan (of `revision`) its milestone fell in. A
   * recurring obligation may be on its next cycle by the morning; the notice is judged, and
   * told, as of the cycle it belongs to. The plan leaves the record once it is sent or withdrawn.
   */
  cycle: z.number().int().optional(),
  plan: PlanStoredSchema.optional(),
  /** A queued notice of a late timer: the milestones whose notices it replaces (functions/app/late.ts). */
  replaces: z.array(z.string()).optional(),
  /** Attempts made to send it, this one included. */
  attempts: z.number().int().optional(),
  /** Why the last attempt failed: the error's name and HTTP status, never the message's content. */
  lastError: z.string().optional(),
  sentAt: z.number().optional(),
  messageId: z.string().optional(),
  /** When the table's TTL may drop the item (epoch seconds): see noticeExpiresAt, digestExpiresAt. */
  expiresAt: z.number().int().optional(),
});
export type NoticeRecord = z.infer<typeof NoticeRecordSchema>;
/** A notice as it is claimed: with its expiry, always. */
export type NewNoticeRecord = NoticeRecord & { readonly expiresAt: number };

const DAY_S = 86_400;
/** A notice is kept a year after its milestone (epoch seconds, as DynamoDB's TTL reads it). */
export function noticeExpiresAt(milestoneAt: number): number {
  return Math.floor(milestoneAt / 1000) + 365 * DAY_S;
}
/** A digest is kept 30 days after it was claimed. */
export function digestExpiresAt(claimedAt: number): number {
  return Math.floor(claimedAt / 1000) + 30 * DAY_S;
}

/** Where a sent message's notice is: SES's MessageId → the outbox item (bounces and complaints come by MessageId). */
export const MessageRecordSchema = z.object({
  messageId: z.string(),
  obligationId: z.string(),
  /** The notice's sort key under `OBL#<obligationId>`. */
  noticeKey: z.string(),
  expiresAt: z.number().int().optional(),
});
export type MessageRecord = z.infer<typeof MessageRecordSchema>;

/**
 * A role that a milestone sought at a unit and nobody in the directory held: the unit is on the
 * administrator's list of directory gaps until someone fills it. One item per (unit, role): the
 * last obligation and milestone it was missed at, and when it was first and last missed.
 */
export const DirectoryGapSchema = z.strictObject({
  org: z.string(),
  role: z.string(),
  obligationId: z.string(),
  milestone: z.string(),
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
});
export type DirectoryGap = z.infer<typeof DirectoryGapSchema>;
const DIRECTORY_GAPS = 'GAPS';

export interface ListQuery {
  readonly by: 'org' | 'assignee' | 'issuer';
  readonly key: string;
  /** Open and overdue are the parts of one partition due after `asOf` and due by it (`indexStateOf`). */
  readonly state: ListState;
  /** The instant that tells open from overdue: now, for a person's list. */
  readonly asOf: number;
  /** Due at or after this instant. */
  readonly dueFrom?: number;
  /** Due at or before this instant. */
  readonly dueTo?: number;
  /** Only obligations whose case reference begins with this (a filter on the one index query). */
  readonly caseRefPrefix?: string;
  readonly limit?: number;
  /** Where the last page stopped (`list`'s own cursor): a place in the query's own partition. */
  readonly cursor?: string;
}

/** The table's own attributes (keys, index keys): part of an item, never of the record it holds. */
const TABLE_ATTRIBUTES = new Set<string>([
  TABLE.partitionKey,
  TABLE.sortKey,
  ...Object.values(TABLE.indexes).flatMap((index) => [index.partitionKey, index.sortKey]),
]);

/** The record an item holds: what its strict schema then checks, so that nothing else is read back as data. */
function recordOf(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !TABLE_ATTRIBUTES.has(name)));
}

const iso = (instant: number): string => new Date(instant).toISOString();
/** A page's cursor: DynamoDB's LastEvaluatedKey, opaque to the caller. */
const cursorAfter = (key: Record<string, unknown> | undefined): { cursor?: string } =>
  key === undefined ? {} : { cursor: Buffer.from(JSON.stringify(key)).toString('base64url') };
const startAfter = (cursor: string | undefined): { ExclusiveStartKey?: Record<string, unknown> } =>
  cursor === undefined ? {} : { ExclusiveStartKey: JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown> };
const obligationKey = (id: string) => ({ pk: `OBL#${id}`, sk: 'META' });
/** A work-list index's sort key: the due instant, then the obligation's id. */
const LIST_PLACE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#(.+)$/;

/** The place of an obligation in a work list, as `list`'s cursor holds it: a page may end there. */
export function listPlaceOf(obligation: Pick<Obligation, 'dueAt' | 'id'>): string {
  return Buffer.from(`${iso(obligation.dueAt)}#${obligation.id}`).toString('base64url');
}

/** Thrown for a cursor that is not a place in a work list (the API answers 400). */
export class CursorInvalidError extends Error {
  override readonly name = 'CursorInvalidError';
}

/** The key to start a work list's page after: the partition of the query, the place of the cursor. */
function listStartAfter(cursor: string | undefined, index: { partitionKey: string; sortKey: string }, partition: string): { ExclusiveStartKey?: Record<string, unknown> } {
  if (cursor === undefined) return {};
  const place = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = LIST_PLACE.exec(place)?.[1];
  if (id === undefined) throw new CursorInvalidError('not a place in a work list');
  return { ExclusiveStartKey: { ...obligationKey(id), [index.partitionKey]: partition, [index.sortKey]: place } };
}
const eventSk = (event: ObligationEvent): string => `EV#${iso(event.recordedAt)}#${String(event.seq).padStart(6, '0')}`;
const noticeSk = (notice: Pick<NoticeRecord, 'milestone' | 'milestoneAt' | 'recipient'>): string =>
  `NOTE#${notice.milestone}#${iso(notice.milestoneAt)}#${notice.recipient}`;
/**
 * How long a claim of a notice that neither reached `sent` nor `failed` stays in doubt: the sender
 * may have died after SES took the message. SES's Send event (seconds, in AWS) settles it within
 * this time; after it, nobody sent it and it is sent again.
 */
export const NOTICE_IN_DOUBT_MS = 5 * 60_000;
/** The dead-letter list: failed notices, in the byOrg index under one partition, oldest first. */
const FAILED_NOTICES = 'NOTICES#failed';
/**
 * The morning mail's queue: notices waiting for their recipient's morning mail, in the byOrg
 * index under one partition, by recipient then milestone. A notice leaves it when it is sent or
 * withdrawn; what stays in it is only what is still to be told.
 */
const QUEUED_NOTICES = 'NOTICES#queued';
/** Conditional writes in one transaction: DynamoDB takes up to 100; fewer keep a conflict's retry small. */
const QUEUE_BATCH = 25;
/** Where a message's outbox item is, as the message's NOTICE_HEADER says it: `<obligationId>/<notice key>`. */
export function noticeAddress(notice: Pick<NoticeRecord, 'obligationId' | 'milestone' | 'milestoneAt' | 'recipient'>): string {
  return `${notice.obligationId}/${noticeSk(notice)}`;
}
/** What a claim found: the right to send, a notice sent already, or one another attempt may have sent. */
export type NoticeClaim = 'claimed' | 'sent' | 'in-doubt';
const messageKey = (messageId: string) => ({ pk: `MSG#${messageId}`, sk: 'MSG' });

/** Keys of an obligation in the work-list indexes; only the attributes that apply. */
export function indexAttributes(obligation: Obligation): Record<string, string> {
  const state = indexStateOf(obligation.status);
  const sortKey = `${iso(obligation.dueAt)}#${obligation.id}`;
  const { byOrg, byAssignee, byIssuer, byCase, live } = TABLE.indexes;
  const attributes: Record<string, string> = {
    [byOrg.partitionKey]: `ORG#${obligation.org}#${state}`,
    [byOrg.sortKey]: sortKey,
    [byCase.partitionKey]: `CASE#${obligation.caseRef}`,
    [byCase.sortKey]: sortKey,
  };
  if (obligation.assignee !== undefined) {
    attributes[byAssignee.partitionKey] = `USER#${obligation.assignee}#${state}`;
    attributes[byAssignee.sortKey] = sortKey;
  }
  if (obligation.issuedBy !== undefined) {
    attributes[byIssuer.partitionKey] = `ISSUER#${obligation.issuedBy}#${state}`;
    attributes[byIssuer.sortKey] = sortKey;
  }
  if (needsTimer(findRule(obligation.rule), obligation)) {
    attributes[live.partitionKey] = `LIVE#${shardOf(obligation.id)}`;
    attributes[live.sortKey] = obligation.id;
  }
  return attributes;
}

export function shardOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % LIVE_SHARDS;
}

/** A new obligation with its first events: written together, never split between transactions. */
export interface Opening {
  readonly obligation: Obligation;
  readonly events: readonly ObligationEvent[];
}

/** DynamoDB's limit on the items of one TransactWriteItems call. */
export const TRANSACTION_ITEMS = 100;

/** The items an opening writes: the obligation and each of its events. */
export const itemsOf = (openings: readonly Opening[]): number => openings.reduce((sum, { events }) => sum + 1 + events.length, 0);

/** Openings packed in order into transactions of at most TRANSACTION_ITEMS items, `reserved` of the first taken already. */
export function chunksOf(openings: readonly Opening[], reserved = 0): Opening[][] {
  const chunks: Opening[][] = [[]];
  let used = reserved;
  for (const opening of openings) {
    const size = itemsOf([opening]);
    if (size > TRANSACTION_ITEMS) throw new RangeError(`one obligation with its events writes ${size} items, over ${TRANSACTION_ITEMS}`);
    if (used + size > TRANSACTION_ITEMS) {
      chunks.push([]);
      used = 0;
    }
    chunks.at(-1)?.push(opening);
    used += size;
  }
  return chunks;
}

/**
 * The counts of one unit at the end of a week, per rule: what the heads' trend reads, so that a
 * week two years ago costs what last week does (issue 19). Counts only: no obligation, no case.
 */
export const SnapshotSchema = z.strictObject({
  org: z.string(),
  /** The Sunday the week ends on (24:00, +05:00). */
  weekEnd: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  takenAt: z.number(),
  /** By rule id: open (not yet due) and overdue at the week's end. */
  counts: z.record(z.string(), z.strictObject({ open: z.number().int().min(0), overdue: z.number().int().min(0) })),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

export class Store {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  static fromEnv(): Store {
    return new Store(awsClients().documents, requiredEnv(ENV.table));
  }

  // Obligations

  async getObligation(id: string): Promise<Obligation | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.table, Key: obligationKey(id), ConsistentRead: true }));
    return Item === undefined ? undefined : ObligationSchema.parse(recordOf(Item));
  }

  /**
   * Writes new obligations with their first events, and the idempotency record when there is one,
   * in transactions of at most TRANSACTION_ITEMS items: an obligation always with its events, the
   * record in the first. A request that fits one transaction is all or nothing; a longer one may
   * stop part-way, and then its record (written first) names every obligation it meant to open,
   * so that the same request again completes the set (functions/app/obligations.ts).
   * Throws ObligationExistsError or IdempotencyKeyUsedError.
   */
  async openObligations(openings: readonly Opening[], idempotency?: IdempotencyRecord & { readonly expiresAt: number }): Promise<void> {
    const record =
      idempotency === undefined
        ? undefined
        : { Put: { TableName: this.table, Item: { pk: `IDEM#${idempotency.key}`, sk: 'IDEM', ...idempotency }, ConditionExpression: 'attribute_not_exists(pk)' } };
    const chunks = chunksOf(openings, record === undefined ? 0 : 1);
    for (const [index, chunk] of chunks.entries()) {
      const items = [
        ...(index === 0 && record !== undefined ? [record] : []),
        ...chunk.flatMap(({ obligation, events }) => [
          {
            Put: {
              TableName: this.table,
              Item: { ...obligationKey(obligation.id), ...ObligationSchema.parse(openedWithTally(obligation, events)), ...indexAttributes(obligation) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...events.map((event) => this.#eventPut(event)),
        ]),
      ];
      if (items.length === 0) continue;
      try {
        await this.documents.send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        if (error instanceof TransactionCanceledException) {
          const reasons = error.CancellationReasons ?? [];
          const keyed = index === 0 && idempotency !== undefined;
          if (keyed && reasons[0]?.Code === 'ConditionalCheckFailed') throw new IdempotencyKeyUsedError(idempotency.key);
          if (keyed && reasons.some((reason) => reason.Code === 'TransactionConflict')) throw new IdempotencyKeyBusyError(idempotency.key);
          if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) throw new ObligationExistsError('an obligation with this id exists');
        }
        throw error;
      }
    }
  }

  /** Replaces an obligation written at `expectedVersion` and appends events, or throws StaleObligationError. */
  async saveObligation(
    next: Obligation,
    expectedVersion: number,
    events: readonly ObligationEvent[] = [],
    /** New obligations written with it, all or nothing (an order renewed). */
    openings: readonly { readonly obligation: Obligation; readonly events: readonly ObligationEvent[] }[] = [],
  ): Promise<void> {
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...obligationKey(next.id), ...ObligationSchema.parse(savedWithTally(next, events)), ...indexAttributes(next) },
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              },
            },
            ...events.map((event) => this.#eventPut(event)),
            ...openings.flatMap(({ obligation, events: opened }) => [
              {
                Put: {
                  TableName: this.table,
                  Item: { ...obligationKey(obligation.id), ...ObligationSchema.parse(openedWithTally(obligation, opened)), ...indexAttributes(obligation) },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              ...opened.map((event) => this.#eventPut(event)),
            ]),
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
        throw new StaleObligationError(`obligation ${next.id} changed since version ${expectedVersion}`);
      }
      throw error;
    }
  }

  /** Appends to the audit trail alone (a notice sent, a bounce). */
  async appendEvent(event: ObligationEvent): Promise<void> {
    await this.documents.send(new PutCommand(this.#eventPut(event).Put));
  }

  /** The audit trail, in order; from an instant on (recorded at or after it) when given. */
  async events(id: string, recordedFrom?: number): Promise<ObligationEvent[]> {
    const items = await this.#queryAll({
      TableName: this.table,
      ...(recordedFrom === undefined
        ? { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': `OBL#${id}`, ':prefix': 'EV#' } }
        : { KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to', ExpressionAttributeValues: { ':pk': `OBL#${id}`, ':from': `EV#${iso(recordedFrom)}`, ':to': 'EV#~' } }),
    });
    return items.map((item) => ObligationEventSchema.parse(recordOf(item)));
  }

  /**
   * A work list: obligations of an organisation, an assignee or an issuer in one state, by due
   * instant. Its cursor holds only the place (the index's sort key) where the page stopped: the
   * partition and the range come from the query, so a cursor cannot lead into another list.
   */
  async list(query: ListQuery): Promise<{ items: Obligation[]; cursor?: string }> {
    const { input, index, partition } = this.#listInput(query);
    if (input === undefined) return { items: [] };
    const { Items = [], LastEvaluatedKey } = await this.documents.send(
      new QueryCommand({ ...input, Limit: query.limit ?? 100, ...listStartAfter(query.cursor, index, partition) }),
    );
    const stoppedAt = LastEvaluatedKey?.[index.sortKey];
    return {
      items: Items.map((item) => ObligationSchema.parse(recordOf(item))),
      ...(typeof stoppedAt === 'string' ? { cursor: Buffer.from(stoppedAt).toString('base64url') } : {}),
    };
  }

  /** How many obligations the whole list holds (every page), counted by the index, nothing read. */
  async count(query: Omit<ListQuery, 'limit' | 'cursor'>): Promise<number> {
    const { input } = this.#listInput(query);
    if (input === undefined) return 0;
    let count = 0;
    for await (const page of paginateQuery({ client: this.documents }, { ...input, Select: 'COUNT' })) count += page.Count ?? 0;
    return count;
  }

  /** Every obligation of one case reference, open and closed, by due instant (the case view). */
  async caseObligations(caseRef: string): Promise<Obligation[]> {
    const { partitionKey } = TABLE.indexes.byCase;
    const items = await this.#queryAll({
      TableName: this.table,
      IndexName: 'byCase',
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': partitionKey },
      ExpressionAttributeValues: { ':pk': `CASE#${caseRef}` },
    });
    return items.map((item) => ObligationSchema.parse(recordOf(item)));
  }

  #listInput(query: Omit<ListQuery, 'limit' | 'cursor'>): { input?: QueryCommandInput; index: { partitionKey: string; sortKey: string }; partition: string } {
    const index = { org: TABLE.indexes.byOrg, assignee: TABLE.indexes.byAssignee, issuer: TABLE.indexes.byIssuer }[query.by];
    const prefix = { org: 'ORG', assignee: 'USER', issuer: 'ISSUER' }[query.by];
    const partition = `${prefix}#${query.key}#${query.state === 'closed' ? 'closed' : 'open'}`;
    const names: Record<string, string> = { '#pk': index.partitionKey };
    const values: Record<string, string> = { ':pk': partition };
    // Open is due after asOf, overdue due by it: the same partition, split on the sort key.
    const dueFrom = query.state === 'open' ? Math.max(query.dueFrom ?? 0, query.asOf + 1) : query.dueFrom;
    const dueTo = query.state === 'overdue' ? Math.min(query.dueTo ?? query.asOf, query.asOf) : query.dueTo;
    if (dueFrom !== undefined && dueTo !== undefined && dueFrom > dueTo) return { index, partition };
    let range = '';
    if (dueFrom !== undefined || dueTo !== undefined) names['#sk'] = index.sortKey;
    if (dueFrom !== undefined && dueTo !== undefined) {
      range = ' AND #sk BETWEEN :from AND :to';
      values[':from'] = iso(dueFrom);
      values[':to'] = `${iso(dueTo)}#~`;
    } else if (dueFrom !== undefined) {
      range = ' AND #sk >= :from';
      values[':from'] = iso(dueFrom);
    } else if (dueTo !== undefined) {
      range = ' AND #sk <= :to';
      values[':to'] = `${iso(dueTo)}#~`;
    }
    let filter: string | undefined;
    if (query.caseRefPrefix !== undefined) {
      names['#caseRef'] = 'caseRef';
      values[':caseRef'] = query.caseRefPrefix;
      filter = 'begins_with(#caseRef, :caseRef)';
    }
    return {
      index,
      partition,
      input: {
        TableName: this.table,
        IndexName: indexName(query.by),
        KeyConditionExpression: `#pk = :pk${range}`,
        ...(filter === undefined ? {} : { FilterExpression: filter }),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  /** Ids of the obligations that still need a timer, in one shard of the sparse index. */
  async liveObligationIds(shard: number): Promise<string[]> {
    const { partitionKey, sortKey } = TABLE.indexes.live;
    const items = await this.#queryAll({
      TableName: this.table,
      IndexName: 'live',
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': partitionKey },
      ExpressionAttributeValues: { ':pk': `LIVE#${shard}` },
      ProjectionExpression: sortKey,
    });
    return items.map((item) => String(item[sortKey]));
  }

  // Idempotency

  async idempotencyRecord(key: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.table, Key: { pk: `IDEM#${key}`, sk: 'IDEM' }, ConsistentRead: true }));
    return Item === undefined ? undefined : IdempotencyRecordSchema.parse(Item);
  }

  // The outbox

  /**
   * Claims the right to send one notice: when it was never claimed, failed before, or was claimed
   * longer than NOTICE_IN_DOUBT_MS ago without an outcome. A retried or repeated step never sends
   * what went out; one that meets a fresh claim learns the notice is in doubt and comes back later.
   */
  async claimNotice(notice: NewNoticeRecord): Promise<NoticeClaim> {
    const { attempts: _attempts, lastError: _lastError, sentAt: _sentAt, messageId: _messageId, ...fields } = NoticeRecordSchema.parse(notice);
    const names: Record<string, string> = { '#status': 'status', '#failedPk': TABLE.indexes.byOrg.partitionKey, '#failedSk': TABLE.indexes.byOrg.sortKey };
    const values: Record<string, unknown> = { ':pending': 'pending', ':failed': 'failed', ':stale': notice.claimedAt - NOTICE_IN_DOUBT_MS, ':zero': 0, ':one': 1 };
    const sets = Object.entries(fields).map(([field, value], index) => {
      names[`#f${index}`] = field;
      values[`:f${index}`] = value;
      return `#f${index} = :f${index}`;
    });
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `OBL#${notice.obligationId}`, sk: noticeSk(notice) },
          // The attempts go on counting over claims; the failed list forgets a notice being sent again.
          UpdateExpression: `SET ${sets.join(', ')}, attempts = if_not_exists(attempts, :zero) + :one REMOVE #failedPk, #failedSk, lastError`,
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed OR (#status = :pending AND claimedAt < :stale)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return error.Item?.status?.S === 'pending' ? 'in-doubt' : 'sent';
      throw error;
    }
  }

  /**
   * The notice went out: its status and SES's MessageId, and beside it the MessageId's way back
   * to the notice (`MSG#<messageId>`), kept as long as the notice, for bounces and complaints.
   * False when it was marked already (by SES's Send event, or an earlier call).
   */
  async markNoticeSent(notice: Pick<NoticeRecord, 'obligationId' | 'milestone' | 'milestoneAt' | 'recipient' | 'expiresAt'>, messageId: string, sentAt: number): Promise<boolean> {
    return this.#markSent(notice.obligationId, noticeSk(notice), messageId, sentAt, notice.expiresAt ?? noticeExpiresAt(notice.milestoneAt));
  }

  /** As markNoticeSent, for a notice known by its address (NOTICE_HEADER): what SES's Send event gives. */
  async markNoticeSentByAddress(address: string, messageId: string, sentAt: number): Promise<boolean> {
    const slash = address.indexOf('/');
    if (slash <= 0 || !address.startsWith('NOTE#', slash + 1)) return false;
    const obligationId = address.slice(0, slash);
    const noticeKey = address.slice(slash + 1);
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.table, Key: { pk: `OBL#${obligationId}`, sk: noticeKey }, ConsistentRead: true }));
    if (Item === undefined) return false;
    const notice = NoticeRecordSchema.parse(recordOf(Item));
    if (notice.status !== 'pending' && notice.status !== 'failed') return false;
    return this.#markSent(obligationId, noticeKey, messageId, sentAt, notice.expiresAt ?? noticeExpiresAt(notice.milestoneAt));
  }

  async #markSent(obligationId: string, noticeKey: string, messageId: string, sentAt: number, expiresAt: number): Promise<boolean> {
    const record: MessageRecord = { messageId, obligationId, noticeKey, expiresAt };
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: { pk: `OBL#${obligationId}`, sk: noticeKey },
                UpdateExpression: 'SET #status = :sent, messageId = :id, sentAt = :at REMOVE #failedPk, #failedSk',
                ConditionExpression: '#status IN (:pending, :failed)',
                ExpressionAttributeNames: { '#status': 'status', '#failedPk': TABLE.indexes.byOrg.partitionKey, '#failedSk': TABLE.indexes.byOrg.sortKey },
                ExpressionAttributeValues: { ':sent': 'sent', ':id': messageId, ':at': sentAt, ':pending': 'pending', ':failed': 'failed' },
              },
            },
            { Put: { TableName: this.table, Item: { ...messageKey(messageId), ...record } } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  /**
   * The attempt could not send the notice (SES refused, or answered with an error): `failed`, with
   * why, in the dead-letter list until a later attempt sends it. Only the attempt that holds the
   * claim may say so.
   */
  async markNoticeFailed(notice: NoticeRecord, reason: string): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `OBL#${notice.obligationId}`, sk: noticeSk(notice) },
          UpdateExpression: 'SET #status = :failed, lastError = :reason, #failedPk = :list, #failedSk = :order',
          ConditionExpression: '#status = :pending AND claimedAt = :claimedAt',
          ExpressionAttributeNames: { '#status': 'status', '#failedPk': TABLE.indexes.byOrg.partitionKey, '#failedSk': TABLE.indexes.byOrg.sortKey },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':failed': 'failed',
            ':claimedAt': notice.claimedAt,
            ':reason': reason,
            ':list': FAILED_NOTICES,
            ':order': `${iso(notice.milestoneAt)}#${noticeAddress(notice)}`,
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Puts a notice in its recipient's morning mail queue, once: a repeated or retried step finds it
   * there (or sent, or withdrawn) and writes nothing. True when this call queued it.
   */
  async queueNotice(notice: NewNoticeRecord): Promise<boolean> {
    const record = NoticeRecordSchema.parse({ ...notice, status: 'queued' });
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: `OBL#${notice.obligationId}`,
            sk: noticeSk(notice),
            ...record,
            [TABLE.indexes.byOrg.partitionKey]: QUEUED_NOTICES,
            [TABLE.indexes.byOrg.sortKey]: `${notice.recipient}#${iso(notice.milestoneAt)}#${noticeAddress(notice)}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Every notice in the morning mail's queue, by recipient then milestone. */
  async queuedNotices(): Promise<NoticeRecord[]> {
    const items = await this.#queryAll({
      TableName: this.table,
      IndexName: indexName('org'),
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE.indexes.byOrg.partitionKey },
      ExpressionAttributeValues: { ':pk': QUEUED_NOTICES },
    });
    return items.map((item) => NoticeRecordSchema.parse(recordOf(item)));
  }

  /** One notice by its address (noticeAddress); undefined when there is none. */
  async noticeByAddress(address: string): Promise<NoticeRecord | undefined> {
    const slash = address.indexOf('/');
    if (slash <= 0) return undefined;
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.table, Key: { pk: `OBL#${address.slice(0, slash)}`, sk: address.slice(slash + 1) }, ConsistentRead: true }),
    );
    return Item === undefined ? undefined : NoticeRecordSchema.parse(recordOf(Item));
  }

  /**
   * Writes on queued notices the morning mail that will carry them, before it is sent, in
   * batches. Each write holds only if the notice is still queued and carried by the mail it was
   * read with (none, or one that never went): a notice another run took meanwhile is left to it.
   */
  async assignQueuedNotices(notices: readonly NoticeRecord[], mail: string): Promise<void> {
    await this.#queueBatches(notices, (notice) => ({
      UpdateExpression: 'SET #mail = :mail',
      ConditionExpression: notice.mail === undefined ? '#status = :queued AND attribute_not_exists(#mail)' : '#status = :queued AND #mail = :old',
      ExpressionAttributeNames: { '#status': 'status', '#mail': 'mail' },
      ExpressionAttributeValues: { ':queued': 'queued', ':mail': mail, ...(notice.mail === undefined ? {} : { ':old': notice.mail }) },
    }));
  }

  /** The morning mail that carried them went: the notices are sent, with its MessageId, and leave the queue; in batches. */
  async markQueuedSent(notices: readonly NoticeRecord[], mail: string, messageId: string | undefined, sentAt: number): Promise<void> {
    await this.#queueBatches(notices, () => ({
      UpdateExpression: `SET #status = :sent, sentAt = :at${messageId === undefined ? '' : ', messageId = :id'} REMOVE #queuePk, #queueSk, #plan`,
      ConditionExpression: '#status = :queued AND #mail = :mail',
      ExpressionAttributeNames: { '#status': 'status', '#mail': 'mail', '#queuePk': TABLE.indexes.byOrg.partitionKey, '#queueSk': TABLE.indexes.byOrg.sortKey, '#plan': 'plan' },
      ExpressionAttributeValues: { ':sent': 'sent', ':at': sentAt, ':queued': 'queued', ':mail': mail, ...(messageId === undefined ? {} : { ':id': messageId }) },
    }));
  }

  /** Queued notices nobody needs any more leave the queue unsent, with why; in batches. */
  async withdrawQueued(notices: readonly NoticeRecord[], because: 'closed' | 'replanned'): Promise<void> {
    await this.#queueBatches(notices, (notice) => ({
      UpdateExpression: 'SET #status = :withdrawn, withdrawnBecause = :because REMOVE #queuePk, #queueSk, #plan',
      ConditionExpression: notice.mail === undefined ? '#status = :queued AND attribute_not_exists(#mail)' : '#status = :queued AND #mail = :old',
      ExpressionAttributeNames: { '#status': 'status', '#mail': 'mail', '#queuePk': TABLE.indexes.byOrg.partitionKey, '#queueSk': TABLE.indexes.byOrg.sortKey, '#plan': 'plan' },
      ExpressionAttributeValues: { ':queued': 'queued', ':withdrawn': 'withdrawn', ':because': because, ...(notice.mail === undefined ? {} : { ':old': notice.mail }) },
    }));
  }

  /**
   * Conditional updates of queued notices, QUEUE_BATCH to a transaction. A transaction that a
   * condition cancels (another run got there first) is done again one notice at a time, each
   * failed condition meaning that notice is someone else's.
   */
  async #queueBatches(
    notices: readonly NoticeRecord[],
    update: (notice: NoticeRecord) => {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<void> {
    for (let index = 0; index < notices.length; index += QUEUE_BATCH) {
      const batch = notices.slice(index, index + QUEUE_BATCH).map((notice) => ({ TableName: this.table, Key: { pk: `OBL#${notice.obligationId}`, sk: noticeSk(notice) }, ...update(notice) }));
      try {
        await this.documents.send(new TransactWriteCommand({ TransactItems: batch.map((Update) => ({ Update })) }));
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        for (const single of batch) {
          try {
            await this.documents.send(new UpdateCommand(single));
          } catch (inner) {
            if (!(inner instanceof ConditionalCheckFailedException)) throw inner;
          }
        }
      }
    }
  }

  /** The dead-letter list: notices whose last attempt failed, oldest milestone first. */
  async failedNotices(limit = 100, cursor?: string): Promise<{ items: NoticeRecord[]; cursor?: string }> {
    const { partitionKey } = TABLE.indexes.byOrg;
    const { Items = [], LastEvaluatedKey } = await this.documents.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: indexName('org'),
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': partitionKey },
        ExpressionAttributeValues: { ':pk': FAILED_NOTICES },
        Limit: limit,
        ...startAfter(cursor),
      }),
    );
    return {
      items: Items.map((item) => NoticeRecordSchema.parse(recordOf(item))),
      ...cursorAfter(LastEvaluatedKey),
    };
  }

  /** The notice a message was sent for, by SES's MessageId; undefined when none is known. */
  async noticeByMessageId(messageId: string): Promise<NoticeRecord | undefined> {
    const { Item: mapping } = await this.documents.send(new GetCommand({ TableName: this.table, Key: messageKey(messageId) }));
    if (mapping === undefined) return undefined;
    const { obligationId, noticeKey } = MessageRecordSchema.parse(mapping);
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.table, Key: { pk: `OBL#${obligationId}`, sk: noticeKey }, ConsistentRead: true }));
    return Item === undefined ? undefined : NoticeRecordSchema.parse(recordOf(Item));
  }

  /**
   * A sent notice bounced or drew a complaint. False when it had that status already (SES may
   * deliver an event more than once), so that the caller records it once.
   */
  async markNoticeUndelivered(notice: NoticeRecord, status: 'bounced' | 'complained'): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `OBL#${notice.obligationId}`, sk: noticeSk(notice) },
          UpdateExpression: 'SET #status = :status',
          ConditionExpression: 'attribute_exists(pk) AND #status <> :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async notices(obligationId: string): Promise<NoticeRecord[]> {
    const items = await this.#queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `OBL#${obligationId}`, ':prefix': 'NOTE#' },
    });
    return items.map((item) => NoticeRecordSchema.parse(recordOf(item)));
  }

  // The organisation directory

  async organisations(): Promise<Organisation[]> {
    const items = await this.#queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'DIR' } });
    return items.map((item) => OrganisationSchema.parse(recordOf(item)));
  }

  async organisation(org: string): Promise<Organisation | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.table, Key: { pk: 'DIR', sk: `ORG#${org}` } }));
    return Item === undefined ? undefined : OrganisationSchema.parse(recordOf(Item));
  }

  async members(org: string): Promise<Member[]> {
    const items = await this.#queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `ORG#${org}`, ':prefix': 'MEMBER#' },
    });
    return items.map((item) => MemberSchema.parse(recordOf(item)));
  }

  async putOrganisation(organisation: Organisation): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.table, Item: { pk: 'DIR', sk: `ORG#${organisation.org}`, ...OrganisationSchema.parse(organisation) } }));
  }

  async putMember(member: Member): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.table, Item: { pk: `ORG#${member.org}`, sk: `MEMBER#${member.user}`, ...MemberSchema.parse(member) } }));
  }

  /** Records roles nobody held when a milestone sought them; a gap missed again keeps when it was first missed. */
  async recordDirectoryGaps(gaps: readonly { org: string; role: string; obligationId: string; milestone: string; seenAt: number }[]): Promise<void> {
    await Promise.all(
      gaps.map((gap) =>
        this.documents.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: DIRECTORY_GAPS, sk: `ORG#${gap.org}#ROLE#${gap.role}` },
            UpdateExpression: 'SET org = :org, #role = :role, obligationId = :obligation, milestone = :milestone, lastSeenAt = :at, firstSeenAt = if_not_exists(firstSeenAt, :at)',
            ExpressionAttributeNames: { '#role': 'role' },
            ExpressionAttributeValues: { ':org': gap.org, ':role': gap.role, ':obligation': gap.obligationId, ':milestone': gap.milestone, ':at': gap.seenAt },
          }),
        ),
      ),
    );
  }

  /** Every directory gap recorded, by unit and role; filled ones too (the caller checks the directory). */
  async directoryGaps(): Promise<DirectoryGap[]> {
    const items = await this.#queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': DIRECTORY_GAPS } });
    return items.map((item) => DirectoryGapSchema.parse(recordOf(item)));
  }

  // Calendar overrides

  async calendarOverrides(): Promise<CalendarOverride[]> {
    const items = await this.#queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'CAL#KZ' } });
    return items.map((item) => CalendarOverrideSchema.parse(item));
  }

  async putCalendarOverride(override: CalendarOverride, by: string, at: number): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.table, Item: { pk: 'CAL#KZ', sk: override.date, ...override, by, at } }));
  }

  /** False when there was no override on that date. */
  async deleteCalendarOverride(date: string): Promise<boolean> {
    const { Attributes } = await this.documents.send(new DeleteCommand({ TableName: this.table, Key: { pk: 'CAL#KZ', sk: date }, ReturnValues: 'ALL_OLD' }));
    return Attributes !== undefined;
  }

  // Weekly snapshots (issue 19)

  /** Writes a unit's weekly snapshot: `SNAP#<org>` / the week's end; taken again, it replaces itself. */
  async putSnapshot(snapshot: Snapshot): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.table, Item: { pk: `SNAP#${snapshot.org}`, sk: snapshot.weekEnd, ...SnapshotSchema.parse(snapshot) } }));
  }

  /** A unit's snapshots of the weeks ending from `from` to `to` (Sundays, inclusive): one query. */
  async snapshots(org: string, from: string, to: string): Promise<Snapshot[]> {
    const items = await this.#queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `SNAP#${org}`, ':from': from, ':to': to },
    });
    return items.map((item) => SnapshotSchema.parse(recordOf(item)));
  }

  #eventPut(event: ObligationEvent) {
    return {
      Put: {
        TableName: this.table,
        Item: { pk: `OBL#${event.obligationId}`, sk: eventSk(event), ...ObligationEventSchema.parse(event) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  async #queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for await (const page of paginateQuery({ client: this.documents }, input)) items.push(...(page.Items ?? []));
    return items;
  }
}

function indexName(by: ListQuery['by']): string {
  return { org: 'byOrg', assignee: 'byAssignee', issuer: 'byIssuer' }[by];
}

