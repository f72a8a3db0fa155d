import { DescribeStreamCommand, type DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { LocalStreamReader } from '../../local/streams.ts';

/**
 * The local Pipe's reading of a stream whose shard closes and hands on to a child: DynamoDB Local
 * does not close a shard on demand, so this stream is scripted, shaped as the Streams API
 * answers. What is checked is what a timer depends on: every record delivered once, in order,
 * across the shard's end, and the shards listed only when one has ended.
 */
interface ScriptedShard {
  readonly id: string;
  readonly parent?: string;
  records: { sequence: string; key: string }[];
  closed: boolean;
}

function scriptedStream(shards: ScriptedShard[]): { client: DynamoDBStreamsClient; calls: string[] } {
  const calls: string[] = [];
  const send = async (command: unknown): Promise<unknown> => {
    if (command instanceof DescribeStreamCommand) {
      calls.push('DescribeStream');
      return { StreamDescription: { Shards: shards.map((shard) => ({ ShardId: shard.id, ...(shard.parent === undefined ? {} : { ParentShardId: shard.parent }) })) } };
    }
    if (command instanceof GetShardIteratorCommand) {
      calls.push('GetShardIterator');
      const shard = shards.find((candidate) => candidate.id === command.input.ShardId);
      if (shard === undefined) throw new Error(`no shard ${command.input.ShardId}`);
      const from = command.input.ShardIteratorType === 'LATEST' ? shard.records.length : 0;
      return { ShardIterator: `${shard.id}@${from}` };
    }
    if (command instanceof GetRecordsCommand) {
      calls.push('GetRecords');
      const [id, at] = (command.input.ShardIterator ?? '').split('@');
      const shard = shards.find((candidate) => candidate.id === id);
      if (shard === undefined) throw new Error(`no shard ${id}`);
      const position = Number(at);
      const records = shard.records.slice(position).map((record) => ({ eventName: 'INSERT', dynamodb: { SequenceNumber: record.sequence, Keys: { pk: { S: record.key } } } }));
      const next = position + records.length;
      // A closed shard read to its end has no next iterator: its children go on.
      return { Records: records, ...(shard.closed && records.length === 0 ? {} : { NextShardIterator: `${shard.id}@${next}` }) };
    }
    throw new Error('not scripted');
  };
  return { client: { send } as unknown as DynamoDBStreamsClient, calls };
}

const keysOf = (batches: unknown[][]): string[] => batches.flat().map((record) => (record as { dynamodb: { Keys: { pk: { S: string } } } }).dynamodb.Keys.pk.S);

describe('the local stream reader', () => {
  it('reads on across a shard that closes into its child, each record once and in order', async () => {
    const parent: ScriptedShard = { id: 'shard-1', records: [{ sequence: '1', key: 'before-start' }], closed: false };
    const shards = [parent];
    const { client, calls } = scriptedStream(shards);
    const delivered: unknown[][] = [];
    const reader = await LocalStreamReader.open(client, 'arn:stream', [{ name: 'start', batchSize: 10, patterns: [], deliver: async (records) => void delivered.push([...records]) }], () => {});

    parent.records.push({ sequence: '2', key: 'a' });
    await reader.drain();
    expect(keysOf(delivered)).toEqual(['a']);

    // The shard ends with one more record, and its child takes the next writes.
    parent.records.push({ sequence: '3', key: 'b' });
    parent.closed = true;
    shards.push({ id: 'shard-2', parent: 'shard-1', records: [{ sequence: '4', key: 'c' }], closed: false });
    await reader.drain();
    expect(keysOf(delivered)).toEqual(['a', 'b', 'c']);

    shards[1]?.records.push({ sequence: '5', key: 'd' });
    await reader.drain();
    await reader.drain();
    expect(keysOf(delivered)).toEqual(['a', 'b', 'c', 'd']);
    // Listed at the start and once when the first shard ended: not on every pass.
    expect(calls.filter((call) => call === 'DescribeStream')).toHaveLength(2);
  });

  it('what was written before it opened is not delivered, what passes no pattern is not handed on', async () => {
    const shard: ScriptedShard = { id: 'shard-1', records: [{ sequence: '1', key: 'kept-from-before' }], closed: false };
    const { client } = scriptedStream([shard]);
    const delivered: unknown[][] = [];
    const reader = await LocalStreamReader.open(client, 'arn:stream', [{ name: 'start', batchSize: 10, patterns: [{ dynamodb: { Keys: { pk: { S: [{ prefix: 'OBL#' }] } } } }], deliver: async (records) => void delivered.push([...records]) }], () => {});
    shard.records.push({ sequence: '2', key: 'OBL#1' }, { sequence: '3', key: 'CAL#version' });
    await reader.drain();
    expect(keysOf(delivered)).toEqual(['OBL#1']);
  });

  it('skipped to its end, what it held is passed over unread and what comes after is delivered', async () => {
    const shard: ScriptedShard = { id: 'shard-1', records: [], closed: false };
    const { client, calls } = scriptedStream([shard]);
    const delivered: unknown[][] = [];
    const reader = await LocalStreamReader.open(client, 'arn:stream', [{ name: 'start', batchSize: 10, patterns: [], deliver: async (records) => void delivered.push([...records]) }], () => {});
    shard.records.push(...Array.from({ length: 500 }, (_, i) => ({ sequence: String(i + 1), key: `loaded-${i}` })));
    const readsBefore = calls.filter((call) => call === 'GetRecords').length;
    await reader.skipToEnd();
    expect(calls.filter((call) => call === 'GetRecords')).toHaveLength(readsBefore);
    shard.records.push({ sequence: '501', key: 'opened' });
    await reader.drain();
    expect(keysOf(delivered)).toEqual(['opened']);
  });

  it('held, it reads nothing; released, what waited is delivered; skipped while held, it never is', async () => {
    const shard: ScriptedShard = { id: 'shard-1', records: [], closed: false };
    const { client, calls } = scriptedStream([shard]);
    const delivered: unknown[][] = [];
    const reader = await LocalStreamReader.open(client, 'arn:stream', [{ name: 'start', batchSize: 10, patterns: [], deliver: async (records) => void delivered.push([...records]) }], () => {});
    const reads = (): number => calls.filter((call) => call === 'GetRecords').length;

    reader.hold();
    shard.records.push({ sequence: '1', key: 'waited' });
    const readsBefore = reads();
    await reader.drain();
    expect(reads(), 'a held stream is not read').toBe(readsBefore);
    expect(delivered).toEqual([]);
    reader.release();
    await reader.drain();
    expect(keysOf(delivered)).toEqual(['waited']);

    reader.hold();
    shard.records.push({ sequence: '2', key: 'passed-over' });
    await reader.drain();
    await reader.skipToEnd();
    reader.release();
    shard.records.push({ sequence: '3', key: 'after' });
    await reader.drain();
    expect(keysOf(delivered)).toEqual(['waited', 'after']);
  });
});
