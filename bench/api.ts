import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { obligationKey } from '../functions/adapters/store/index.ts';
import { VirtualClock } from '../local/clock.ts';
import { type Section, type Row, closedLoop, fmt, ratio } from './stats.ts';
import { startBenchSystem } from './system.ts';

/**
 * Opening obligations through the local HTTP API (POST /obligations: validation, the calendar's
 * version read, one conditional PutItem of the obligation with its opening entry) against the raw
 * DynamoDB Local PutItem of the same item (with its index attributes), at the same concurrency.
 * The timer is started from the table's stream, off the request's path: on AWS by EventBridge Pipes
 * and Step Functions, which take nothing from the API's function or the table's capacity. Here
 * they would share DynamoDB Local and the two cores with the requests measured (an opening's start
 * costs DynamoDB Local several times its PutItem), so the stream is held during the measure (its
 * records are never read): this measures the request's path. The start is measured with the open
 * use case in the timers' setup (bench/timers.ts).
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
    await system.runtime.clock.settle();
    const stream = system.streams;
    if (stream === undefined) throw new Error('the stack has no stream to start the timers from');
    stream.hold();

    const rows: Row[] = [];
    const data: Record<string, unknown> = { seconds, putSeconds, itemBytes };
    for (const concurrency of concurrencies) {
      const opened = await closedLoop(concurrency, seconds, async (i) => void (await open(`BENCH-C${concurrency}-${i}`)));
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
        `PutItem writes the obligation item the Store wrote (${itemBytes} bytes as JSON, with its index attributes) under new keys; one opening writes it (its opening entry within it) in one conditional PutItem.`,
        'The table\'s stream, from which each opening\'s execution starts off the request\'s path, is held during the measure (its records are never read): on AWS the starts run on EventBridge Pipes and Step Functions, not beside the API; here they would share DynamoDB Local and the two cores with the requests measured. The open use case with its start is measured in the timers\' setup.',
        `PutItem runs ${putSeconds} s per concurrency: at hundreds a second that is thousands of samples, enough for its p99; the openings, a few dozen a second, run ${seconds} s.`,
        'The virtual clock stands still.',
      ],
      data,
    };
  } finally {
    await bench.stop();
  }
}
