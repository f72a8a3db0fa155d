import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { obligationKey } from '../functions/adapters/store/index.ts';
import { VirtualClock } from '../local/clock.ts';
import { type Section, type Row, closedLoop, fmt, ratio } from './stats.ts';
import { startBenchSystem } from './system.ts';

/**
 * Opening obligations through the local HTTP API (POST /obligations: validation, the calendar's
 * version read, one conditional PutItem of the obligation with its opening entry; the timer is
 * started from the table's stream, off the request's path) against the raw
 * DynamoDB Local PutItem of the same item (with its index attributes), at the same concurrency.
 */
export async function measureApi(seconds: number, putSeconds = seconds, concurrencies: readonly number[] = [1, 8, 32]): Promise<Section> {
  const start = '2026-03-02T10:00:00+05:00';
  const bench = await startBenchSystem(new VirtualClock(start));
  const { system, api, documents } = bench;
  try {
    const open = async (caseRef: string): Promise<string> => {
      const body = await api<{ obligations: { id: string }[] }>('POST', '/obligations', { rule: 'sss-decision', caseRef, org: 'zko-uralsk-akimat-sss', start });
      return body.obligations[0]?.id ?? '';
    };
    // The item the Store wrote for one obligation: what the raw PutItem writes again under new keys.
    const sampleId = await open('BENCH-SAMPLE');
    const { Item: sample } = await documents.send(new GetCommand({ TableName: system.table, Key: obligationKey(sampleId) }));
    if (sample === undefined) throw new Error('the sample obligation was not written');
    const itemBytes = Buffer.byteLength(JSON.stringify(sample));

    const rows: Row[] = [];
    const data: Record<string, unknown> = { seconds, putSeconds, itemBytes };
    for (const concurrency of concurrencies) {
      const opened = await closedLoop(concurrency, seconds, async (i) => void (await open(`BENCH-C${concurrency}-${i}`)));
      await system.runtime.clock.settle();
      const puts = await closedLoop(concurrency, putSeconds, async (i) => {
        const id = `bench-put-c${concurrency}-${i}`;
        await documents.send(new PutCommand({ TableName: system.table, Item: { ...sample, ...obligationKey(id), id } }));
      });
      data[`c${concurrency}`] = { api: opened, putItem: puts };
      rows.push(
        { figure: `c=${concurrency}: obligations opened / s (API)`, value: fmt(opened.ratePerS), ratio: `${ratio(opened.ratePerS, puts.ratePerS)} of PutItem` },
        { figure: `c=${concurrency}: PutItem / s (DynamoDB Local)`, value: fmt(puts.ratePerS) },
        { figure: `c=${concurrency}: open latency p50 / p99 (ms)`, value: `${fmt(opened.latency.p50)} / ${fmt(opened.latency.p99)}`, ratio: `${ratio(opened.latency.p50, puts.latency.p50)} / ${ratio(opened.latency.p99, puts.latency.p99)} of PutItem` },
        { figure: `c=${concurrency}: PutItem latency p50 / p99 (ms)`, value: `${fmt(puts.latency.p50)} / ${fmt(puts.latency.p99)}` },
      );
    }
    return {
      title: `API: POST /obligations (sss-decision) vs raw PutItem, ${seconds} s (PutItem ${putSeconds} s) per concurrency`,
      rows,
      notes: [
        `PutItem writes the obligation item the Store wrote (${itemBytes} bytes as JSON, with its index attributes) under new keys; one opening writes it (its opening entry within it) in one conditional PutItem; the table's stream starts its execution, off the request's path, which parks on its first Wait (the instants come in its input: no Plan step).`,
        `PutItem runs ${putSeconds} s per concurrency: at hundreds a second that is thousands of samples, enough for its p99; the openings, a few dozen a second, run ${seconds} s.`,
        'The virtual clock stands still: the executions park on their first Wait; what is left running is settled between phases, outside the timing.',
      ],
      data,
    };
  } finally {
    await bench.stop();
  }
}
