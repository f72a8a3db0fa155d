import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Synthesizes the CDK app (infra/app.ts) in this process into a cloud assembly and returns the
 * stack's template. A stamp of the sources keeps the assembly when nothing that goes into it
 * changed, so a second start skips the bundling.
 */
export const projectRoot = resolve(import.meta.dirname, '..', '..');
export const STACK_NAME = 'Merzim-dev';

/** What goes into the assembly: the CDK app, the functions, the workflows, the domain. */
const SOURCE_DIRS = ['infra', 'functions', 'workflows', 'shared'];
const SOURCE_FILES = ['package-lock.json', 'cdk.json', 'tsconfig.json'];
const STAMP_FILE = '.merzim-stamp';

/** In-process, the CLI's defaults must be given: asset metadata tells where each bundle is. */
const SYNTH_CONTEXT = { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:version-reporting': false } as const;

export interface SynthOptions {
  /** Where the assembly goes. */
  readonly outdir: string;
  readonly context?: Readonly<Record<string, unknown>>;
  /** Synthesize even when the stamp says nothing changed. */
  readonly force?: boolean;
  readonly stackName?: string;
  readonly root?: string;
}

export interface SynthResult {
  readonly templatePath: string;
  readonly assemblyDir: string;
  /** False when the assembly of an earlier start was reused. */
  readonly synthesized: boolean;
  readonly ms: number;
}

interface SynthesizableApp {
  synth(): unknown;
}

export class SynthError extends Error {
  override readonly name = 'SynthError';
}

export async function synthesize(options: SynthOptions): Promise<SynthResult> {
  const started = Date.now();
  const root = options.root ?? projectRoot;
  const outdir = resolve(options.outdir);
  const stackName = options.stackName ?? STACK_NAME;
  const templatePath = join(outdir, `${stackName}.template.json`);
  const context = { ...SYNTH_CONTEXT, ...options.context };
  const stamp = sourceStamp(root, context);
  const stampPath = join(outdir, STAMP_FILE);
  if (options.force !== true && existsSync(templatePath) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) {
    return { templatePath, assemblyDir: outdir, synthesized: false, ms: Date.now() - started };
  }

  const appModule = join(root, 'infra', 'app.ts');
  if (!existsSync(appModule)) throw new SynthError(`no CDK app at ${appModule}: infra/app.ts must export buildApp()`);
  const { buildApp } = (await import(pathToFileURL(appModule).href)) as {
    buildApp?: (props: { outdir?: string; context?: Record<string, unknown> }) => SynthesizableApp;
  };
  if (typeof buildApp !== 'function') throw new SynthError(`${appModule} does not export buildApp()`);

  // Old bundles would pile up under their hashes: start from an empty folder.
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const previousCwd = process.cwd();
  try {
    // NodejsFunction finds its lock file and esbuild from the project.
    process.chdir(root);
    buildApp({ outdir, context }).synth();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const bundle = /Failed to bundle asset (\S+?),/.exec(message);
    throw new SynthError(
      bundle === null ? `the CDK app did not synthesize: ${message.split('\n')[0] ?? ''}` : `esbuild could not bundle ${bundle[1] ?? ''} (its errors are above)`,
      { cause: error },
    );
  } finally {
    process.chdir(previousCwd);
  }
  if (!existsSync(templatePath)) {
    const found = readdirSync(outdir).filter((name) => name.endsWith('.template.json'));
    throw new SynthError(`the app wrote no ${stackName}.template.json (found: ${found.join(', ') || 'none'})`);
  }
  writeFileSync(stampPath, stamp);
  return { templatePath, assemblyDir: outdir, synthesized: true, ms: Date.now() - started };
}

/** A hash of the paths, sizes and modification times of every source that goes into the assembly. */
export function sourceStamp(root: string, context: Readonly<Record<string, unknown>> = {}): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(context));
  const visit = (path: string): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (name === 'node_modules' || name.startsWith('.')) continue;
        visit(join(path, name));
      }
    } else {
      hash.update(`${relative(root, path)}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  for (const dir of SOURCE_DIRS) visit(join(root, dir));
  for (const file of SOURCE_FILES) visit(join(root, file));
  return hash.digest('hex');
}
