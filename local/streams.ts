import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';

/**
 * A table's stream read as an EventBridge Pipe reads it on AWS: every shard in order, each record
 * matched against the Pipe's filter, what passes handed to the target in batches. The embedded
 * runtime has no Pipes; this reader is driven by the local system after every function it runs
 * (`drain`), so that a test's `clock.settle()` waits for what a write put on the stream.
 */

/** Where a Pipe hands what passed its filter: its target function, with a batch of records as a Lambda target gets them. */
export interface StreamTarget {
  readonly name: string;
  readonly batchSize: number;
  /** EventBridge patterns: a record passes when one matches (no pattern: every record). */
  readonly patterns: readonly unknown[];
  deliver(records: readonly unknown[]): Promise<void>;
}

interface ShardState {
  iterator?: string;
  /** The last record read: where to go on from when an iterator expires. */
  lastSequence?: string;
  done: boolean;
}

/** How many times a batch is handed again after its target failed, before it is given up (the reconciler's then). */
const DELIVERY_ATTEMPTS = 3;

export class LocalStreamReader {
  readonly #client: DynamoDBStreamsClient;
  readonly #streamArn: string;
  readonly #targets: readonly StreamTarget[];
  readonly #log: (line: string) => void;
  readonly #shards = new Map<string, ShardState>();
  #running: Promise<void> | undefined;
  /**
   * Whether the shards must be listed again before the next read: a shard that reached its end
   * has children to follow. Only then (DescribeStream costs DynamoDB Local as much as a read, and
   * a pass follows every function call), as a Pipe's poller follows a closed shard's lineage.
   */
  #describeDue = false;
  #again = false;
  #paused = false;
  #held = false;

  private constructor(client: DynamoDBStreamsClient, streamArn: string, targets: readonly StreamTarget[], log: (line: string) => void) {
    this.#client = client;
    this.#streamArn = streamArn;
    this.#targets = targets;
    this.#log = log;
  }

  /**
   * Starts reading at the stream's end: what was written before this start (kept data of an
   * earlier run) is not delivered again; a timer it should have started is the reconciler's.
   */
  static async open(client: DynamoDBStreamsClient, streamArn: string, targets: readonly StreamTarget[], log: (line: string) => void): Promise<LocalStreamReader> {
    const reader = new LocalStreamReader(client, streamArn, targets, log);
    for (const shard of await reader.#describe()) if (shard.ShardId !== undefined) await reader.#track(shard.ShardId, 'LATEST');
    return reader;
  }

  /**
   * Reads on to the stream's end and delivers what passes. Calls while a pass runs share it, and
   * it reads once more after it: whatever was written before a call is delivered when it resolves.
   * Never rejects: a batch its target keeps failing is logged and given up, as a Pipe sends it
   * to its dead-letter queue. Held, it starts no pass.
   */
  drain(): Promise<void> {
    if (this.#held) return this.#running ?? Promise.resolve();
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    const run = async (): Promise<void> => {
      do {
        this.#again = false;
        await this.#pass();
      } while (this.#again);
    };
    this.#running = run()
      .catch((error: unknown) => this.#log(`merzim: stream: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  /**
   * From now until `release`, nothing is read: records written meanwhile wait on the stream, as
   * behind a Pipe whose poller fell behind, and are delivered after `release` unless `skipToEnd`
   * passed over them. For the benchmarks: a bulk load, and the API measured without the starts
   * its openings put on the stream (on AWS they run on Pipes and Step Functions, not beside it).
   */
  hold(): void {
    this.#held = true;
  }

  release(): void {
    this.#held = false;
  }

  /**
   * From now until `resume`, what the stream holds is read and dropped, delivered to no one: a
   * stream that lost its records (a Pipe that gave up), for a test of what covers for it.
   */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
  }

  /**
   * Moves past everything the stream holds now, unread: a bulk load's records, which no Pipe is
   * to start timers for (the benchmarks' copies, bench/seed.ts). Reading them to drop them would
   * cost as much as the load.
   */
  async skipToEnd(): Promise<void> {
    await this.#running;
    this.#shards.clear();
    this.#describeDue = false;
    for (const shard of await this.#describe()) if (shard.ShardId !== undefined) await this.#track(shard.ShardId, 'LATEST');
  }

  /** Starts following a shard: from the stream's end (LATEST) or the shard's start (TRIM_HORIZON). */
  async #track(shardId: string, from: 'LATEST' | 'TRIM_HORIZON'): Promise<void> {
    const { ShardIterator } = await this.#client.send(new GetShardIteratorCommand({ StreamArn: this.#streamArn, ShardId: shardId, ShardIteratorType: from }));
    this.#shards.set(shardId, { ...(ShardIterator === undefined ? {} : { iterator: ShardIterator }), done: ShardIterator === undefined });
  }

  async #pass(): Promise<void> {
    if (this.#describeDue || ![...this.#shards.values()].some((state) => !state.done)) {
      this.#describeDue = false;
      for (const shard of await this.#describe()) {
        if (shard.ShardId === undefined || this.#shards.has(shard.ShardId)) continue;
        // A shard opened since: read from its start.
        await this.#track(shard.ShardId, 'TRIM_HORIZON');
      }
    }
    for (const [shardId, state] of this.#shards) {
      if (state.done) continue;
      const records = await this.#read(shardId, state);
      // Its children are read in the next pass, which this one asks for.
      if (state.done) {
        this.#describeDue = true;
        this.#again = true;
      }
      if (records.length === 0 || this.#paused) continue;
      for (const target of this.#targets) {
        const passed = records.filter((record) => target.patterns.length === 0 || target.patterns.some((pattern) => matches(pattern, record)));
        for (let start = 0; start < passed.length; start += target.batchSize) await this.#deliver(target, passed.slice(start, start + target.batchSize));
      }
    }
  }

  /** Every record of a shard from where its reading stopped to its end, as plain JSON. */
  async #read(shardId: string, state: ShardState): Promise<unknown[]> {
    const records: unknown[] = [];
    while (!state.done && state.iterator !== undefined) {
      let page: { Records?: StreamRecord[] | undefined; NextShardIterator?: string | undefined };
      try {
        page = await this.#client.send(new GetRecordsCommand({ ShardIterator: state.iterator }));
      } catch (error) {
        if (!(error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException)) throw error;
        const again = await this.#client.send(
          new GetShardIteratorCommand({
            StreamArn: this.#streamArn,
            ShardId: shardId,
            ...(state.lastSequence === undefined || error instanceof TrimmedDataAccessException
              ? { ShardIteratorType: 'TRIM_HORIZON' as const }
              : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: state.lastSequence }),
          }),
        );
        if (again.ShardIterator === undefined) state.done = true;
        else state.iterator = again.ShardIterator;
        continue;
      }
      const got = page.Records ?? [];
      for (const record of got) records.push(JSON.parse(JSON.stringify(record)) as unknown);
      const last = got.at(-1)?.dynamodb?.SequenceNumber;
      if (last !== undefined) state.lastSequence = last;
      if (page.NextShardIterator === undefined) {
        state.done = true;
        delete state.iterator;
      } else state.iterator = page.NextShardIterator;
      if (got.length === 0) break;
    }
    return records;
  }

  async #deliver(target: StreamTarget, batch: readonly unknown[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await target.deliver(batch);
        return;
      } catch (error) {
        if (attempt >= DELIVERY_ATTEMPTS) {
          this.#log(`merzim: pipe ${target.name}: a batch of ${batch.length} given up: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
      }
    }
  }

  async #describe(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let ExclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.#client.send(new DescribeStreamCommand({ StreamArn: this.#streamArn, ...(ExclusiveStartShardId === undefined ? {} : { ExclusiveStartShardId }) }));
      shards.push(...(StreamDescription?.Shards ?? []));
      ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (ExclusiveStartShardId !== undefined);
    return shards;
  }
}

/**
 * Whether an event matches an EventBridge pattern, for the part of the pattern language Pipes'
 * filters here use: nested fields, lists of values, `{ prefix }` and `{ exists }`.
 */
export function matches(pattern: unknown, event: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) return false;
  return Object.entries(pattern as Record<string, unknown>).every(([field, expected]) => {
    const value = event !== null && typeof event === 'object' ? (event as Record<string, unknown>)[field] : undefined;
    if (!Array.isArray(expected)) return matches(expected, value);
    return expected.some((candidate: unknown) => {
      if (candidate !== null && typeof candidate === 'object') {
        const rule = candidate as { prefix?: unknown; exists?: unknown };
        if (typeof rule.prefix === 'string') return typeof value === 'string' && value.startsWith(rule.prefix);
        if (typeof rule.exists === 'boolean') return (value !== undefined) === rule.exists;
        return false;
      }
      return value === candidate;
    });
  });
}
