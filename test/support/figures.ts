import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A figure a reliability or security suite measured (lost notices, 5xx answers, duplicates…).
 * `npm run verify` collects and prints them; under plain `npm test` nothing is written, and the
 * suite's own assertions decide pass or fail.
 */
export interface Figure {
  readonly suite: string;
  readonly name: string;
  readonly value: number | string;
  /** What the figure must be for the suite to pass (`0`, `= 1`, `≥ 5000`), as printed. */
  readonly expected?: string;
}

/** The folder `npm run verify` asks suites to write their figures to. */
export const FIGURES_DIR_ENV = 'MERZIM_FIGURES_DIR';

export function recordFigure(figure: Figure): void {
  const dir = process.env[FIGURES_DIR_ENV];
  if (dir === undefined || dir === '') return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, 'figures.jsonl'), `${JSON.stringify(figure)}\n`);
}

/** Records several figures of one suite at once. */
export function recordFigures(suite: string, figures: Readonly<Record<string, number | string | { value: number | string; expected: string }>>): void {
  for (const [name, entry] of Object.entries(figures)) {
    recordFigure(typeof entry === 'object' ? { suite, name, ...entry } : { suite, name, value: entry });
  }
}
