import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, buildSync, type BuildOptions, type OutputFile } from 'esbuild';
import { KINDS_OF_ROLE, ROLES } from '../shared/base/index.ts';

/**
 * Bundles the dashboard: `src/main.ts` (plain TypeScript, no framework) into one ES module, with
 * the page and the one style sheet of `public/`. The local API serves the result from memory
 * (local/system/dashboard.ts); `npx tsx web/build.ts` writes it to `web/dist/` for a static host.
 */

const here = dirname(fileURLToPath(import.meta.url));

export interface DashboardFile {
  readonly contentType: string;
  readonly body: Uint8Array;
}

const STATIC: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

function options(minify: boolean): BuildOptions & { write: false } {
  return {
    entryPoints: [join(here, 'src', 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: 'app.js',
    write: false,
    minify,
    legalComments: 'none',
    define: { MERZIM_ROLES: JSON.stringify(ROLES), MERZIM_KINDS_OF_ROLE: JSON.stringify(KINDS_OF_ROLE) },
    logLevel: 'silent',
  };
}

function collect(outputFiles: readonly OutputFile[]): Map<string, DashboardFile> {
  const files = new Map<string, DashboardFile>();
  for (const output of outputFiles) files.set('app.js', { contentType: 'text/javascript; charset=utf-8', body: output.contents });
  for (const [name, contentType] of Object.entries(STATIC)) files.set(name, { contentType, body: readFileSync(join(here, 'public', name)) });
  return files;
}

export async function buildDashboard(options_: { minify?: boolean } = {}): Promise<Map<string, DashboardFile>> {
  const result = await build(options(options_.minify ?? true));
  return collect(result.outputFiles);
}

/** The same build, synchronously: for the CDK app, whose synthesis is synchronous (infra/dashboard.ts). */
export function buildDashboardSync(options_: { minify?: boolean } = {}): Map<string, DashboardFile> {
  return collect(buildSync(options(options_.minify ?? true)).outputFiles);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outdir = join(here, 'dist');
  mkdirSync(outdir, { recursive: true });
  for (const [name, file] of await buildDashboard()) writeFileSync(join(outdir, name), file.body);
  process.stdout.write(`${outdir}\n`);
}
