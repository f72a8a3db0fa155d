import { type AttributeValue, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, type QueryCommandInput, TransactWriteCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { type ListState, type Obligation, type ObligationEvent, ObligationEventSchema, ObligationSchema } from '../../../shared/model/index.ts';
import { TABLE } from '../../../contract/index.ts';
import { IdempotencyKeyBusyError, IdempotencyKeyUsedError, ObligationExistsError, StaleObligationError } from './errors.ts';
import { idempotencyPut } from './idempotency.ts';
import {
  type ListBy,
  caseCondition,
  dueFromKey,
  dueToKey,
  OPENED_ENTRY,
  eventKey,
  eventsCondition,
  indexAttributes,
  isObligationKey,
  listCursorAfter,
  listIndex,
  listPartition,
  listStartAfter,
  liveCondition,
  obligationKey,
} from './keys.ts';
import { type IdempotencyRecord, type ListedObligation, listedOf } from './records.ts';
import { openedWithTally, savedWithTally } from '../tally.ts';
import { type Table, conditionFailed, queryAll, recordOf } from './table.ts';

export interface ListQuery {
  readonly by: ListBy;
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

/** A new obligation with its first events: written together, never split between transactions. */
export interface Opening {
  readonly obligation: Obligation;
  readonly events: readonly ObligationEvent[];
}

/** DynamoDB's limit on the keys of one BatchGetItem call. */
const BATCH_GET_KEYS = 100;

/** DynamoDB's limit on the items of one TransactWriteItems call. */
export const TRANSACTION_ITEMS = 100;

/** The entry an opening folds into its obligation's item (OPENED_ENTRY): its `opened` entry, when it has one. */
function foldedOf({ obligation, events }: Opening): ObligationEvent | undefined {
  return events.find((event) => event.type === 'opened' && event.obligationId === obligation.id);
}

/** The items an opening writes: the obligation (its `opened` entry within it) and each of its other events. */
export const itemsOf = (openings: readonly Opening[]): number =>
  openings.reduce((sum, opening) => sum + 1 + opening.events.length - (foldedOf(opening) === undefined ? 0 : 1), 0);

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

/** Every attribute an obligation's item may have besides its key: what a write that leaves one out removes. */
const OBLIGATION_ATTRIBUTES: readonly string[] = [
  ...Object.keys(ObligationSchema.shape),
  ...Object.values(TABLE.indexes).flatMap((index) => [index.partitionKey, index.sortKey]),
];

/**
 * The obligation a stream image holds (DynamoDB JSON, as the table's stream gives an item), or
 * undefined for any other item.
 */
export function obligationOfImage(image: Record<string, unknown>): Obligation | undefined {
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (!isObligationKey({ pk: String(item[TABLE.partitionKey]), sk: String(item[TABLE.sortKey]) })) return undefined;
  return ObligationSchema.parse(recordOf(item));
}

/** Whether an obligation still needs a timer: the application decides (it puts the obligation in the reconciler's index). */
export type NeedsTimer = (obligation: Obligation) => boolean;

/** Obligations with their audit trail, and the work lists, the case view and the live index that find them. */
export class ObligationRepository {
  constructor(
    private readonly table: Table,
    private readonly needsTimer: NeedsTimer,
  ) {}

  /**
   * One obligation, read consistently unless told otherwise: an eventually consistent read costs
   * half, for a reader whose every write is conditional on the version it read (the reconciler).
   */
  async getObligation(id: string, { consistent = true }: { readonly consistent?: boolean } = {}): Promise<Obligation | undefined> {
    const { Item } = await this.table.documents.send(new GetCommand({ TableName: this.table.name, Key: obligationKey(id), ConsistentRead: consistent }));
    return Item === undefined ? undefined : ObligationSchema.parse(recordOf(Item));
  }

  /**
   * Many obligations by id, read consistently, BATCH_GET_KEYS to a call (what DynamoDB takes);
   * keys DynamoDB leaves unprocessed are asked for again. An id with no obligation is absent.
   */
  async getObligations(ids: readonly string[]): Promise<Map<string, Obligation>> {
    const found = new Map<string, Obligation>();
    const unique = [...new Set(ids)];
    for (let index = 0; index < unique.length; index += BATCH_GET_KEYS) {
      let keys: Record<string, unknown>[] = unique.slice(index, index + BATCH_GET_KEYS).map((id) => ({ ...obligationKey(id) }));
      for (let attempt = 0; keys.length > 0; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * 2 ** attempt)));
        const { Responses = {}, UnprocessedKeys = {} } = await this.table.documents.send(
          new BatchGetCommand({ RequestItems: { [this.table.name]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of Responses[this.table.name] ?? []) {
          const obligation = ObligationSchema.parse(recordOf(item));
          found.set(obligation.id, obligation);
        }
        keys = UnprocessedKeys[this.table.name]?.Keys ?? [];
      }
    }
    return found;
  }

  /**
   * Writes new obligations with their first events, and the idempotency record when there is one,
   * in transactions of at most TRANSACTION_ITEMS items: an obligation always with its events, the
   * record in the first. A request that fits one transaction is all or nothing; a longer one may
   * stop part-way, and then its record (written first) names every obligation it meant to open,
   * so that the same request again completes the set (functions/app/obligations.ts).
   * One obligation without a record, the common opening, is one conditional PutItem: its
   * `opened` entry rides on its item (OPENED_ENTRY), so nothing else needs writing with it.
   * Throws ObligationExistsError or IdempotencyKeyUsedError.
   */
  async openObligations(openings: readonly Opening[], idempotency?: IdempotencyRecord & { readonly expiresAt: number }): Promise<void> {
    const [only] = openings;
    if (idempotency === undefined && openings.length === 1 && only !== undefined && itemsOf(openings) === 1) {
      try {
        await this.table.documents.send(new PutCommand(this.#obligationPut(only)));
      } catch (error) {
        if (conditionFailed(error)) throw new ObligationExistsError('an obligation with this id exists');
        throw error;
      }
      return;
    }
    const record = idempotency === undefined ? undefined : idempotencyPut(this.table, idempotency);
    const chunks = chunksOf(openings, record === undefined ? 0 : 1);
    for (const [index, chunk] of chunks.entries()) {
      const items = [...(index === 0 && record !== undefined ? [record] : []), ...chunk.flatMap((opening) => this.#openingPuts(opening))];
      if (items.length === 0) continue;
      try {
        await this.table.documents.send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        const keyed = index === 0 && idempotency !== undefined;
        if (keyed && conditionFailed(error, 0)) throw new IdempotencyKeyUsedError(idempotency.key);
        if (keyed && error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict')) {
          throw new IdempotencyKeyBusyError(idempotency.key);
        }
        if (conditionFailed(error, 'any')) throw new ObligationExistsError('an obligation with this id exists');
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
    openings: readonly Opening[] = [],
  ): Promise<void> {
    try {
      await this.table.documents.send(new TransactWriteCommand({ TransactItems: [...this.savedItems(next, expectedVersion, events), ...openings.flatMap((opening) => this.#openingPuts(opening))] }));
    } catch (error) {
      if (conditionFailed(error, 0)) throw new StaleObligationError(`obligation ${next.id} changed since version ${expectedVersion}`);
      throw error;
    }
  }

  /**
   * The transaction items of saveObligation: the obligation, written only over `expectedVersion`
   * (item 0), then its new events. For a write that carries items of another aggregate with it
   * (Store.saveWithQueued).
   */
  savedItems(next: Obligation, expectedVersion: number, events: readonly ObligationEvent[] = []) {
    return [{ Update: this.#obligationUpdate(savedWithTally(next, events), expectedVersion) }, ...events.map((event) => this.#eventPut(event))];
  }

  /** Appends to the audit trail alone (a notice sent, a bounce). */
  async appendEvent(event: ObligationEvent): Promise<void> {
    await this.table.documents.send(new PutCommand(this.#eventPut(event).Put));
  }

  /**
   * The audit trail, in order; from an instant on (recorded at or after it) when given. The
   * `opened` entry an opening folded into the obligation's item takes its place by its own key.
   */
  async events(id: string, recordedFrom?: number): Promise<ObligationEvent[]> {
    const items = await queryAll(this.table, eventsCondition(id, recordedFrom));
    const entries = items.flatMap((item): { sk: string; event: ObligationEvent }[] => {
      if (!isObligationKey({ pk: String(item['pk']), sk: String(item['sk']) })) return [{ sk: String(item['sk']), event: ObligationEventSchema.parse(recordOf(item)) }];
      const folded = item[OPENED_ENTRY];
      if (folded === undefined) return [];
      const event = ObligationEventSchema.parse(folded);
      return recordedFrom !== undefined && event.recordedAt < recordedFrom ? [] : [{ sk: eventKey(event).sk, event }];
    });
    return entries.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0)).map(({ event }) => event);
  }

  /**
   * A work list: obligations of an organisation, an assignee or an issuer in one state, by due
   * instant. Its cursor holds only the place (the index's sort key) where the page stopped: the
   * partition and the range come from the query, so a cursor cannot lead into another list.
   */
  async list(query: ListQuery): Promise<{ items: ListedObligation[]; cursor?: string }> {
    const { input, partition } = this.#listInput(query);
    if (input === undefined) return { items: [] };
    const limit = query.limit ?? 100;
    // DynamoDB applies Limit before the search's filter, so one read may keep nothing while the
    // match lies further on: read on until the page is full or the list ends, and put the cursor
    // after the last item kept.
    const kept: Record<string, unknown>[] = [];
    let start = listStartAfter(query.cursor, query.by, partition);
    for (;;) {
      const { Items = [], LastEvaluatedKey } = await this.table.documents.send(new QueryCommand({ ...input, Limit: limit, ...start }));
      const taken = Items.slice(0, limit - kept.length);
      kept.push(...taken);
      const more = taken.length < Items.length || LastEvaluatedKey !== undefined;
      if (kept.length === limit || LastEvaluatedKey === undefined) {
        return { items: await this.#listed(kept), ...(more ? listCursorAfter(kept.at(-1), query.by) : {}) };
      }
      start = { ExclusiveStartKey: LastEvaluatedKey };
    }
  }

  /** How many obligations the whole list holds (every page), counted by the index, nothing read. */
  async count(query: Omit<ListQuery, 'limit' | 'cursor'>): Promise<number> {
    const { input } = this.#listInput(query);
    if (input === undefined) return 0;
    let count = 0;
    for await (const page of paginateQuery({ client: this.table.documents }, { ...input, Select: 'COUNT' })) count += page.Count ?? 0;
    return count;
  }

  /** Every obligation of one case reference, open and closed, by due instant (the case view). */
  async caseObligations(caseRef: string): Promise<ListedObligation[]> {
    return this.#listed(await queryAll(this.table, caseCondition(caseRef)));
  }

  /**
   * The obligations of index items as the lists hold them. An item written before the store kept
   * what the lists show of the plan holds too little in the index: those few are read whole, in
   * batches, and are listed as they are now.
   */
  async #listed(items: readonly Record<string, unknown>[]): Promise<ListedObligation[]> {
    const listed = items.map((item) => listedOf(item));
    const missing = items.filter((_, index) => listed[index] === undefined).map((item) => String(item['id']));
    if (missing.length === 0) return listed as ListedObligation[];
    const read = new Map((await this.#getMany(missing)).map((obligation) => [obligation.id, listedOf(obligation)]));
    return listed.flatMap((entry, index) => entry ?? read.get(String(items[index]?.['id'])) ?? []);
  }

  /** Obligations by id, read whole in batches of 100 (BatchGetItem), those not found left out. */
  async #getMany(ids: readonly string[]): Promise<Obligation[]> {
    const found: Obligation[] = [];
    for (let at = 0; at < ids.length; at += 100) {
      let keys: Record<string, unknown>[] = ids.slice(at, at + 100).map((id) => ({ ...obligationKey(id) }));
      while (keys.length > 0) {
        const { Responses, UnprocessedKeys } = await this.table.documents.send(new BatchGetCommand({ RequestItems: { [this.table.name]: { Keys: keys } } }));
        found.push(...(Responses?.[this.table.name] ?? []).map((item) => ObligationSchema.parse(recordOf(item))));
        keys = UnprocessedKeys?.[this.table.name]?.Keys ?? [];
      }
    }
    return found;
  }

  /** Ids of the obligations that still need a timer, in one shard of the sparse index. */
  async liveObligationIds(shard: number): Promise<string[]> {
    const condition = liveCondition(shard);
    const items = await queryAll(this.table, condition);
    return items.map((item) => String(item[condition.ProjectionExpression]));
  }

  #listInput(query: Omit<ListQuery, 'limit' | 'cursor'>): { input?: QueryCommandInput; partition: string } {
    const index = listIndex(query.by);
    const partition = listPartition(query.by, query.key, query.state === 'closed' ? 'closed' : 'open');
    const names: Record<string, string> = { '#pk': index.partitionKey };
    const values: Record<string, string> = { ':pk': partition };
    // Open is due after asOf, overdue due by it: the same partition, split on the sort key.
    const dueFrom = query.state === 'open' ? Math.max(query.dueFrom ?? 0, query.asOf + 1) : query.dueFrom;
    const dueTo = query.state === 'overdue' ? Math.min(query.dueTo ?? query.asOf, query.asOf) : query.dueTo;
    if (dueFrom !== undefined && dueTo !== undefined && dueFrom > dueTo) return { partition };
    let range = '';
    if (dueFrom !== undefined || dueTo !== undefined) names['#sk'] = index.sortKey;
    if (dueFrom !== undefined && dueTo !== undefined) {
      range = ' AND #sk BETWEEN :from AND :to';
      values[':from'] = dueFromKey(dueFrom);
      values[':to'] = dueToKey(dueTo);
    } else if (dueFrom !== undefined) {
      range = ' AND #sk >= :from';
      values[':from'] = dueFromKey(dueFrom);
    } else if (dueTo !== undefined) {
      range = ' AND #sk <= :to';
      values[':to'] = dueToKey(dueTo);
    }
    let filter: string | undefined;
    if (query.caseRefPrefix !== undefined) {
      names['#caseRef'] = 'caseRef';
      values[':caseRef'] = query.caseRefPrefix;
      filter = 'begins_with(#caseRef, :caseRef)';
    }
    return {
      partition,
      input: {
        TableName: this.table.name,
        IndexName: index.name,
        KeyConditionExpression: `#pk = :pk${range}`,
        ...(filter === undefined ? {} : { FilterExpression: filter }),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  /** An obligation as the table holds it: its key, its record, its index attributes. */
  #obligationItem(obligation: Obligation): Record<string, unknown> {
    return { ...obligationKey(obligation.id), ...ObligationSchema.parse(obligation), ...indexAttributes(obligation, this.needsTimer(obligation)) };
  }

  /**
   * The write of an obligation over its item at `expectedVersion`: every field and index attribute
   * it has set, every one it has not removed. An update, not a Put, so that what the item holds
   * beside the record (its opening entry, OPENED_ENTRY) stays.
   */
  #obligationUpdate(obligation: Obligation, expectedVersion: number) {
    const key = obligationKey(obligation.id);
    const item = this.#obligationItem(obligation);
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':expected': expectedVersion };
    const set: string[] = [];
    const remove: string[] = [];
    const name = (attribute: string, index: number, kind: 's' | 'r'): string => {
      const placeholder = `#${kind}${index}`;
      names[placeholder] = attribute;
      return placeholder;
    };
    Object.entries(item)
      .filter(([attribute]) => !(attribute in key))
      .forEach(([attribute, value], index) => {
        // `version` is both set and compared: its placeholder is shared.
        const placeholder = attribute === 'version' ? '#version' : name(attribute, index, 's');
        values[`:s${index}`] = value;
        set.push(`${placeholder} = :s${index}`);
      });
    OBLIGATION_ATTRIBUTES.filter((attribute) => !(attribute in item)).forEach((attribute, index) => remove.push(name(attribute, index, 'r')));
    return {
      TableName: this.table.name,
      Key: key,
      UpdateExpression: `SET ${set.join(', ')}${remove.length === 0 ? '' : ` REMOVE ${remove.join(', ')}`}`,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  /** A new obligation, its `opened` entry within its item, and its other first events, each written only if it is not there yet. */
  #openingPuts(opening: Opening) {
    const folded = foldedOf(opening);
    return [{ Put: this.#obligationPut(opening) }, ...opening.events.filter((event) => event !== folded).map((event) => this.#eventPut(event))];
  }

  /** A new obligation's item, with its `opened` entry, written only if it is not there yet. */
  #obligationPut(opening: Opening) {
    const folded = foldedOf(opening);
    const item = { ...this.#obligationItem(openedWithTally(opening.obligation, opening.events)), ...(folded === undefined ? {} : { [OPENED_ENTRY]: ObligationEventSchema.parse(folded) }) };
    return { TableName: this.table.name, Item: item, ConditionExpression: 'attribute_not_exists(pk)' };
  }

  #eventPut(event: ObligationEvent) {
    return {
      Put: {
        TableName: this.table.name,
        Item: { ...eventKey(event), ...ObligationEventSchema.parse(event) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
}
