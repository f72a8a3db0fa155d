import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../local/system/index.ts';
import { STACK_NAME, projectRoot, synthesize } from '../local/system/synth.ts';
import { measureApi } from './api.ts';
import { BESIDE_ENV } from './beside.ts';
import { measureColdStart } from './coldstart.ts';
import { measureCost } from './cost.ts';
import { type Section, fmt } from './stats.ts';
import { measureRealLateness, measureVirtualWakeups, virtualSection } from './timers.ts';
import { measureWorkLists } from './worklists.ts';
import { measureReports } from './reports.ts';

/**
 * `npm run bench`: synthesizes the app once, then runs each measure that needs the whole app in a
 * fresh process of its own (the functions' bundles, and their AWS clients, live once per process),
 * prints one table and writes bench/results/latest.json (`-- --readme`: readme-run.json and .md
 * too). `BENCH_QUICK=1` shortens everything, for trying the benchmarks out, not for figures.
 */

const QUICK = process.env.BENCH_QUICK === '1';
const BUDGET_S = 600;
const SETTINGS = {
  /** Seconds of openings per concurrency (the stream, from which their timers start, held: bench/api.ts). */
  apiSeconds: QUICK ? 2 : 10,
  putItemSeconds: QUICK ? 2 : 3,
  workListItems: QUICK ? 10_000 : 100_000,
  workListSamples: QUICK ? 50 : 300,
  // The Scan the report is set against slows with the table on DynamoDB Local (3,208 s for
  // 250,000 items, 30 November 2026): the whole run takes a region of 10,000, `--only reports`
  // the 100,000 of issue 19.
  reportItems: QUICK ? 2_000 : 10_000,
  reportItemsAlone: QUICK ? 2_000 : 100_000,
  /**
   * Wake-ups at one instant: a rate, against the do-nothing machine's. 1,000 (22–45/s on DynamoDB
   * Local on these machines): 2,000 cost 70 s more of the budget for the same ratio (0.15× at
   * 2,000 on 1 December 2026, 0.13× at 200).
   */
  timers: QUICK ? 200 : 1_000,
  /** Executions of the do-nothing machine, woken the same way. */
  floorTimers: QUICK ? 200 : 1_000,
  /** Notices through the morning batch: the wake-ups' and copies of them. */
  morningNotices: QUICK ? 1_000 : 10_000,
  realTimers: 100,
  coldStartRuns: QUICK ? 3 : 7,
};
const assemblyDir = join(defaultDataDir, 'cdk.out');
const resultsDir = join(projectRoot, 'bench', 'results');

/** The measures `--only` can pick, in the order a whole run takes them. */
const MEASURES = ['api', 'worklists', 'timers', 'cost', 'coldstart', 'reports'] as const;
type Measure = (typeof MEASURES)[number];

const USAGE = `npm run bench [-- --readme | --only MEASURE[,MEASURE…]]

  (nothing)   every measure: bench/results/latest.json and latest.md
  --readme    the same, and readme-run.json and .md, the run the README's table is copied from
  --only      only these measures (${MEASURES.join(', ')}), printed and written to
              bench/results/latest-<measures>.json; latest.json is left as it was
              (--only reports alone: a region of 100,000 obligations; 10,000 in a whole run)
  BENCH_QUICK=1 shortens everything, for trying the benchmarks out, not for figures`;

/** The measures that run in a child process: `tsx bench/run.ts --measure NAME --out FILE`. */
const CHILD_MEASURES: Record<string, (n: number) => Promise<unknown>> = {
  api: () => measureApi(SETTINGS.apiSeconds, SETTINGS.putItemSeconds),
  worklists: () => measureWorkLists(SETTINGS.workListItems, SETTINGS.workListSamples),
  'timers-virtual': (n) => measureVirtualWakeups(n, Math.min(n, SETTINGS.floorTimers), SETTINGS.morningNotices),
  'timers-real': () => measureRealLateness(SETTINGS.realTimers),
  cost: () => measureCost(),
  reports: (n) => measureReports(n),
};

async function child(name: string, out: string, n: number): Promise<void> {
  const measure = CHILD_MEASURES[name];
  if (measure === undefined) throw new Error(`no measure ${name}`);
  writeFileSync(out, JSON.stringify(await measure(n)));
}

/** Runs one measure in a fresh process and returns what it wrote; its stdout (the functions' logs) is dropped. */
function inChild<T>(name: string, n = 0, env: Record<string, string> = {}): Promise<T> {
  const out = join(resultsDir, `.${name}-${n}.json`);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const label = `${name}${n > 0 ? ` (${n})` : ''}`;
    process.stderr.write(`bench: ${label}…\n`);
    const proc = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench', 'run.ts'), '--measure', name, '--out', out, '--n', String(n)], {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
    proc.on('exit', (code) => {
      process.stderr.write(`bench: ${label}: ${fmt((Date.now() - started) / 1000)} s\n`);
      if (code !== 0) return reject(new Error(`bench ${name} exited with ${code}:\n${stderr}`));
      const result = JSON.parse(readFileSync(out, 'utf8')) as T;
      rmSync(out);
      resolve(result);
    });
  });
}

function machine(): Record<string, string | number> {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? '?',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

function printSection(section: Section): string {
  const widths = [0, 0];
  for (const row of section.rows) {
    widths[0] = Math.max(widths[0] ?? 0, row.figure.length);
    widths[1] = Math.max(widths[1] ?? 0, row.value.length);
  }
  const lines = [``, `## ${section.title}`, ...section.rows.map((row) => `  ${row.figure.padEnd(widths[0] ?? 0)}  ${row.value.padStart(widths[1] ?? 0)}  ${row.ratio ?? ''}`.trimEnd())];
  for (const note of section.notes) lines.push(`  · ${note}`);
  return lines.join('\n');
}

function markdown(sections: readonly Section[], about: Record<string, string | number>, seconds: number): string {
  const lines = [
    `Machine: ${about.nproc} cores (\`nproc\`), ${about.cpu}, ${about.memoryGiB} GiB, Node ${about.node}, ${about.platform}; the whole run took ${fmt(seconds)} s.`,
    '',
    '| measure | figure | value | ratio |',
    '|---|---|---|---|',
  ];
  for (const section of sections) {
    const short = section.title.split(':')[0] ?? section.title;
    for (const row of section.rows) lines.push(`| ${short} | ${row.figure.trim()} | ${row.value} | ${row.ratio ?? ''} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { measure: { type: 'string' }, out: { type: 'string' }, n: { type: 'string' }, readme: { type: 'boolean' }, only: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.measure !== undefined) return child(values.measure, values.out ?? '', Number(values.n ?? 0));
  const only = values.only === undefined ? undefined : new Set(values.only.split(','));
  for (const name of only ?? []) if (!MEASURES.includes(name as Measure)) throw new Error(`--only: no measure ${name}: one of ${MEASURES.join(', ')}`);
  if (only !== undefined && values.readme === true) throw new Error('--readme records a whole run: it does not go with --only');
  const wanted = (name: Measure): boolean => only === undefined || only.has(name);

  const started = Date.now();
  const elapsedS = (): number => (Date.now() - started) / 1000;
  mkdirSync(resultsDir, { recursive: true });
  process.stderr.write('bench: synthesizing…');
  let assembly: string;
  try {
    const synth = await synthesize({ outdir: assemblyDir });
    assembly = synth.synthesized ? `synthesized for this run (${fmt(synth.ms / 1000)} s)` : 'unchanged since the last synthesis';
  } catch (error) {
    // The working tree may be mid-change: an assembly from an earlier synthesis still runs.
    if (!existsSync(join(assemblyDir, `${STACK_NAME}.template.json`))) throw error;
    assembly = `kept from an earlier synthesis (this one failed: ${error instanceof Error ? error.message : String(error)})`;
  }
  process.stderr.write(` ${assembly}\n`);

  const sections: Section[] = [];
  if (wanted('api')) sections.push(await inChild<Section>('api'));
  // The cost measure only counts: in a whole run it goes beside the work lists' bulk load (setup),
  // whose timed calls wait for it to end (bench/beside.ts). 328 s one after the other, 220 s so.
  let cost: Promise<Section> | undefined;
  if (wanted('worklists')) {
    const marker = join(resultsDir, '.cost-ended');
    rmSync(marker, { force: true });
    if (wanted('cost')) {
      cost = inChild<Section>('cost').finally(() => writeFileSync(marker, ''));
      // Awaited below, in its place in the table; a failure fails the run there.
      cost.catch(() => {});
    }
    try {
      sections.push(await inChild<Section>('worklists', 0, cost === undefined ? {} : { [BESIDE_ENV]: marker }));
    } finally {
      await cost?.catch(() => {});
      rmSync(marker, { force: true });
    }
  }
  if (wanted('reports')) sections.push(await inChild<Section>('reports', only?.size === 1 ? SETTINGS.reportItemsAlone : SETTINGS.reportItems));
  if (wanted('timers')) {
    sections.push(virtualSection([await inChild<Record<string, number>>('timers-virtual', SETTINGS.timers)]));
    sections.push(await inChild<Section>('timers-real'));
  }
  if (wanted('cost')) {
    const measured = await (cost ?? inChild<Section>('cost'));
    const shared =
      "This measure ran beside the work lists' bulk load, on the core the load leaves idle: its counts do not depend on it; its handlers' mean times, and the Lambda line's GB-s with them, are those of a shared machine (on 1 December 2026 the Lambda line was $6.27 a year alone, $6.56 and $8.51 in two runs beside the load).";
    const section: Section = cost === undefined ? measured : { ...measured, notes: [...measured.notes, shared] };
    sections.push(section);
  }
  if (wanted('coldstart')) {
    process.stderr.write('bench: cold start…\n');
    const coldStarted = Date.now();
    sections.push(measureColdStart(assemblyDir, SETTINGS.coldStartRuns));
    process.stderr.write(`bench: cold start: ${fmt((Date.now() - coldStarted) / 1000)} s\n`);
  }

  const seconds = elapsedS();
  const about = machine();
  for (const section of sections) process.stdout.write(`${printSection(section)}\n`);
  process.stdout.write(`\nMachine: ${JSON.stringify(about)}; assembly ${assembly}; ${fmt(seconds)} s in all.\n`);
  if (only !== undefined) {
    // A partial run is for looking at a few figures while working: latest.json keeps the last whole run.
    const file = `latest-${[...only].sort().join('-')}.json`;
    writeFileSync(join(resultsDir, file), `${JSON.stringify({ at: new Date().toISOString(), quick: QUICK, machine: about, assembly, seconds, only: [...only], sections }, null, 2)}\n`);
    process.stdout.write(`Written: bench/results/${file}\n`);
    return;
  }
  if (!QUICK && seconds > BUDGET_S) process.stdout.write(`Over the ${BUDGET_S} s budget (issue 8): a machine shared with other work runs everything slower.\n`);
  const result = { at: new Date().toISOString(), quick: QUICK, machine: about, assembly, seconds, settings: SETTINGS, sections };
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(resultsDir, 'latest.md'), `${markdown(sections, about, seconds)}\n`);
  process.stdout.write(`Written: bench/results/latest.json and latest.md\n`);
  if (values.readme === true) {
    // The run the README's table is taken from (by hand: it groups rows), kept in git.
    writeFileSync(join(resultsDir, 'readme-run.json'), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(join(resultsDir, 'readme-run.md'), `${markdown(sections, about, seconds)}\n`);
    process.stdout.write(`Written: bench/results/readme-run.json and readme-run.md (the README's table is copied from them by hand)\n`);
  }
}

await main();
