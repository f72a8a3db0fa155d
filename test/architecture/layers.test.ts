import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Which folder may import which: the order docs/ARCHITECTURE.md draws. A folder imports itself
 * and the folders named here, nothing else of ours; an import that breaks the order fails here
 * with the file and the line.
 */
const SHARED = ['base', 'calendar', 'periods', 'rules', 'model', 'action-plans', 'obligations', 'i18n', 'reports'].map((name) => `shared/${name}`);
const shared = (upTo: string): string[] => SHARED.slice(0, SHARED.indexOf(upTo));
const ALL_SHARED = [...SHARED];
const FUNCTIONS = ['functions/adapters', 'functions/app', 'functions/api', 'functions/handlers'];
const functions = (upTo: string): string[] => FUNCTIONS.slice(0, FUNCTIONS.indexOf(upTo));

export const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(SHARED.map((layer) => [layer, shared(layer)])),
  contract: ALL_SHARED,
  workflows: [...ALL_SHARED, 'contract'],
  ...Object.fromEntries(FUNCTIONS.map((layer) => [layer, [...ALL_SHARED, 'contract', ...functions(layer)]])),
  web: ALL_SHARED,
  // The embedded runtime runs the functions and builds and serves the dashboard, as infra deploys them.
  local: [...ALL_SHARED, 'contract', ...FUNCTIONS, 'web'],
  cli: [...ALL_SHARED, 'contract', ...FUNCTIONS, 'local'],
  infra: [...ALL_SHARED, 'contract', 'workflows', 'web'],
  bench: [...ALL_SHARED, 'contract', 'workflows', ...FUNCTIONS, 'local'],
  bin: ['cli', 'local'],
};

const root = resolve(import.meta.dirname, '../..');
const SOURCE = /\.(ts|mts|mjs|js)$/;
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;

function sources(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** The layer a path belongs to: the longest key of MAY_IMPORT it lies under, or its top folder. */
function layerOf(path: string): string {
  const keys = Object.keys(MAY_IMPORT).filter((key) => path === key || path.startsWith(`${key}/`));
  return keys.sort((a, b) => b.length - a.length)[0] ?? path.split('/')[0] ?? path;
}

interface Import {
  readonly file: string;
  readonly line: number;
  readonly target: string;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((match) => ({
    file,
    line: text.slice(0, match.index).split('\n').length,
    target: relative(root, resolve(root, dirname(file), match[2] ?? '')),
  }));
}

const TOPS = ['shared', 'contract', 'workflows', 'functions', 'web', 'local', 'cli', 'infra', 'bench', 'bin'];

/** The imports that break the order, as `file:line (layer) imports target (layer)`. */
function breachesOf(imports: readonly Import[]): string[] {
  return imports.flatMap(({ file, line, target }) => {
    const from = layerOf(file);
    const to = layerOf(target);
    if (from === to || (MAY_IMPORT[from] ?? []).includes(to)) return [];
    return [`${file}:${line} (${from}) imports ${target} (${to})`];
  });
}

/**
 * Imports that reach behind a shared module's surface: from outside `shared/<module>`, only its
 * `index.ts` is imported, so that a module can move its files without its users noticing.
 */
function behindSurface(imports: readonly Import[]): string[] {
  return imports.flatMap(({ file, line, target }) => {
    const [top, module, rest] = target.split('/');
    if (top !== 'shared' || module === undefined || rest === undefined || rest === 'index.ts') return [];
    if (file.startsWith(`shared/${module}/`)) return [];
    return [`${file}:${line} imports ${target}, not shared/${module}/index.ts`];
  });
}

describe('the import order of docs/ARCHITECTURE.md', () => {
  const files = TOPS.flatMap(sources);

  it('has every source file under a layer it names', () => {
    const unplaced = files.filter((file) => MAY_IMPORT[layerOf(file)] === undefined);
    expect(unplaced).toEqual([]);
  });

  it('is kept by every import', () => {
    expect(breachesOf(files.flatMap(importsOf))).toEqual([]);
  });

  it('reaches a shared module only through its index.ts', () => {
    const everything = [...files, ...sources('test'), ...sources('web')].flatMap(importsOf);
    expect(behindSurface(everything)).toEqual([]);
    expect(behindSurface([{ file: 'functions/app/obligations.ts', line: 4, target: 'shared/rules/catalog.ts' }])).toEqual([
      'functions/app/obligations.ts:4 imports shared/rules/catalog.ts, not shared/rules/index.ts',
    ]);
  });

  it('reports an import that breaks it, naming the file and the line', () => {
    const upward: Import[] = [
      { file: 'shared/calendar/working-day-calendar.ts', line: 3, target: 'shared/rules/plan.ts' },
      { file: 'functions/adapters/store/index.ts', line: 7, target: 'functions/api/lists.ts' },
      { file: 'workflows/timer-state-machine.ts', line: 6, target: 'functions/app/steps.ts' },
      { file: 'web/src/cards.ts', line: 2, target: 'functions/api/views.ts' },
    ];
    expect(breachesOf(upward)).toEqual([
      'shared/calendar/working-day-calendar.ts:3 (shared/calendar) imports shared/rules/plan.ts (shared/rules)',
      'functions/adapters/store/index.ts:7 (functions/adapters) imports functions/api/lists.ts (functions/api)',
      'workflows/timer-state-machine.ts:6 (workflows) imports functions/app/steps.ts (functions/app)',
      'web/src/cards.ts:2 (web) imports functions/api/views.ts (functions/api)',
    ]);
    expect(breachesOf([{ file: 'functions/api/lists.ts', line: 1, target: 'functions/adapters/store/index.ts' }])).toEqual([]);
  });
});
