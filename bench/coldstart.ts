import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeStack, readTemplate } from '../local/system/stack.ts';
import { STACK_NAME } from '../local/system/synth.ts';
import { type Row, type Section, fmt, median, ratio } from './stats.ts';

/**
 * Milliseconds to import a module in a fresh Node process (what a cold start spends on init): the
 * time it took, and the CPU it used, which a machine shared with others disturbs much less.
 */
function importMs(file: string, env: NodeJS.ProcessEnv): { wall: number; cpu: number } {
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); const w = performance.now() - t; const u = process.cpuUsage(c); console.log(w, (u.user + u.system) / 1000);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [wall = NaN, cpu = NaN] = (out.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { wall, cpu };
}

/**
 * Each function's bundle (its asset folder in the cloud assembly) and its module initialisation
 * in a fresh Node process, median of `runs`, against an empty handler module in the same run.
 */
export function measureColdStart(assemblyDir: string, runs: number): Section {
  const stack = describeStack(readTemplate(join(assemblyDir, `${STACK_NAME}.template.json`)), assemblyDir, { region: 'eu-central-1', account: '000000000000', stackName: STACK_NAME });
  const scratch = mkdtempSync(join(tmpdir(), 'merzim-bench-'));
  const empty = join(scratch, 'index.mjs');
  writeFileSync(empty, 'export const handler = async () => ({});\n');
  // What Lambda would give the function: its environment from the template, a region, no endpoints.
  const env = (extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, AWS_REGION: 'eu-central-1', ...extra });
  try {
    const measure = (file: string, extra: Readonly<Record<string, string>> = {}): { wall: number; cpu: number } => {
      importMs(file, env(extra)); // the file system cache warms once
      const samples = Array.from({ length: runs }, () => importMs(file, env(extra)));
      return { wall: median(samples.map((sample) => sample.wall)), cpu: median(samples.map((sample) => sample.cpu)) };
    };
    // Interleaved with the bundles, the empty module is measured first and last.
    const baseline = measure(empty);
    const rows: Row[] = [];
    const data: Record<string, unknown> = {};
    for (const fn of stack.functions) {
      const folder = join(fn.entry, '..');
      const bytes = readdirSync(folder)
        .filter((name) => !name.endsWith('.map'))
        .reduce((sum, name) => sum + statSync(join(folder, name)).size, 0);
      const { wall: ms, cpu: cpuMs } = measure(fn.entry, fn.environment);
      const role = fn.role ?? fn.name;
      data[role] = { bytes, ms, cpuMs, folder: folder.slice(folder.lastIndexOf('/') + 1), mapBytes: safeSize(`${fn.entry}.map`) };
      rows.push({
        figure: `${role}: bundle (KiB, no source map) | init median (ms) | its CPU (ms)`,
        value: `${fmt(bytes / 1024)} | ${fmt(ms)} | ${fmt(cpuMs)}`,
        ratio: `${ratio(ms, baseline.wall)} the empty module (CPU ${ratio(cpuMs, baseline.cpu)})`,
      });
    }
    const baselineAfter = measure(empty);
    rows.push({
      figure: 'empty handler module: init median (ms), before | after; its CPU (ms), before | after',
      value: `${fmt(baseline.wall)} | ${fmt(baselineAfter.wall)}; ${fmt(baseline.cpu)} | ${fmt(baselineAfter.cpu)}`,
    });
    return {
      title: `Cold start: bundles in ${assemblyDir.replace(/^.*\/(\.local\/)/, '$1')} and their module initialisation in a fresh Node ${process.version} process`,
      rows,
      notes: [
        `Each figure is the median of ${runs} fresh processes (after one unmeasured run) of \`node --input-type=module -e "const t = performance.now(); await import(bundle); console.log(performance.now() - t)"\`, with the function's environment from the template; Node's own start is not in it. Lambda adds its runtime start and the code download. CPU: \`process.cpuUsage()\` across the same import, steadier than the time when others share the machine.`,
      ],
      data: { runs, baselineMs: baseline.wall, baselineAfterMs: baselineAfter.wall, baselineCpuMs: baseline.cpu, baselineAfterCpuMs: baselineAfter.cpu, functions: data },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function safeSize(file: string): number {
  try {
    return readFileSync(file).length;
  } catch {
    return 0;
  }
}
