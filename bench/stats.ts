import { readFileSync, readdirSync } from 'node:fs';
/** Small statistics and formatting shared by the benchmarks. */

/** The p-th percentile (0–100) of samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export interface Latencies {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
}

export function latencies(samples: readonly number[]): Latencies {
  return { n: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** Milliseconds since an arbitrary origin, sub-millisecond. */
export const now = (): number => performance.now();

/** Runs `body` and returns how long it took, in ms. */
export async function timed(body: () => Promise<unknown>): Promise<number> {
  const start = now();
  await body();
  return now() - start;
}

/**
 * Runs `operation` from `concurrency` workers until `seconds` have passed; each call's latency
 * in ms. A failed call throws: a benchmark that measures errors measures nothing.
 */
export async function closedLoop(concurrency: number, seconds: number, operation: (i: number) => Promise<void>): Promise<{ count: number; ratePerS: number; latency: Latencies }> {
  const samples: number[] = [];
  const started = now();
  const end = started + seconds * 1000;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (now() < end) {
      const i = next++;
      const t = now();
      await operation(i);
      samples.push(now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (now() - started) / 1000;
  return { count: samples.length, ratePerS: samples.length / elapsedS, latency: latencies(samples) };
}

/**
 * Runs `operation` over the items with at most `concurrency` in flight, taking each item from the
 * iterable only when a worker is free for it: a generator's items are made as they are needed.
 */
export async function inParallel<T>(items: Iterable<T>, concurrency: number, operation: (item: T, index: number) => Promise<void>): Promise<void> {
  const source = items[Symbol.iterator]();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let taken = source.next(); taken.done !== true; taken = source.next()) await operation(taken.value, next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** A figure with 3 significant digits (integers as they are). */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

/** `a / b` as a ratio: `0.042×`. */
export function ratio(a: number, b: number): string {
  return `${fmt(a / b)}×`;
}

/** One line of a measure's table. */
export interface Row {
  readonly figure: string;
  readonly value: string;
  /** A ratio against the baseline measured in the same run. */
  readonly ratio?: string;
}

/** What a measure hands back: its table, caveats, and raw figures for the JSON file. */
export interface Section {
  readonly title: string;
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
  readonly data: Record<string, unknown>;
}

/**
 * CPU seconds used so far by this process and by its descendants (DynamoDB Local's Java, the
 * local SES), from /proc: on a shared machine, CPU per operation says more than wall time.
 */
export function cpuSeconds(): { readonly node: number; readonly children: number } {
  const usage = process.cpuUsage();
  const node = (usage.user + usage.system) / 1e6;
  let children = 0;
  try {
    const parents = new Map<number, number>();
    const ticks = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // The command may hold spaces and parentheses: the fields start after the last ')'.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        parents.set(Number(entry), Number(fields[1]));
        ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
      } catch {
        // Gone meanwhile.
      }
    }
    const isDescendant = (pid: number): boolean => {
      for (let parent = parents.get(pid); parent !== undefined && parent > 1; parent = parents.get(parent)) {
        if (parent === process.pid) return true;
      }
      return false;
    };
    for (const [pid, t] of ticks) if (isDescendant(pid)) children += t / CLOCK_TICKS;
  } catch {
    return { node, children: Number.NaN };
  }
  return { node, children };
}

/** USER_HZ on Linux. */
const CLOCK_TICKS = 100;
