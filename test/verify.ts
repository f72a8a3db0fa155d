import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIGURES_DIR_ENV, type Figure } from './support/figures.ts';

/**
 * `npm run verify`: runs the reliability and security suites (test/reliability, test/security)
 * and prints every figure they measured, grouped by suite. Exits as vitest does.
 */
const SUITES = ['test/reliability', 'test/security'];

const dir = mkdtempSync(join(tmpdir(), 'merzim-verify-'));
const started = Date.now();
const run = spawnSync(process.execPath, [join('node_modules', 'vitest', 'vitest.mjs'), 'run', ...SUITES, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, [FIGURES_DIR_ENV]: dir },
});

const file = join(dir, 'figures.jsonl');
const figures: Figure[] = existsSync(file)
  ? readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Figure)
  : [];
rmSync(dir, { recursive: true, force: true });

const bySuite = new Map<string, Figure[]>();
for (const figure of figures) bySuite.set(figure.suite, [...(bySuite.get(figure.suite) ?? []), figure]);
const width = Math.max(10, ...figures.map((figure) => figure.name.length));
console.log(`\nMerzim verify: ${figures.length} figures from ${bySuite.size} suites in ${((Date.now() - started) / 1000).toFixed(0)} s`);
for (const [suite, list] of [...bySuite].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`\n${suite}`);
  for (const figure of list) {
    const value = typeof figure.value === 'number' ? figure.value.toLocaleString('en-US') : figure.value;
    console.log(`  ${figure.name.padEnd(width)}  ${String(value).padStart(10)}${figure.expected === undefined ? '' : `   (must be ${figure.expected})`}`);
  }
}
if (run.status !== 0) console.log(`\nvitest exited with ${String(run.status ?? run.signal)}: see above`);
process.exit(run.status ?? 1);
