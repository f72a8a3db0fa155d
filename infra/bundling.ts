import { fileURLToPath } from 'node:url';
import type { FunctionName } from '../contract/index.ts';

/**
 * How every function is bundled (esbuild, through NodejsFunction in ./functions.ts), kept apart
 * so that test/infra/bundles.test.ts bundles the handlers exactly so, without loading the CDK.
 */
export const BUNDLE = {
  target: 'node22',
  mainFields: ['module', 'main'],
  // esbuild's ESM output has no `require`; CommonJS dependencies still call it.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  minify: true,
  // The SDK is bundled, not taken from the runtime: one minified file loads faster than the
  // runtime's hundreds of modules, and each function carries only the clients it imports.
  externalModules: [] as readonly string[],
  // A function's credentials are in its environment, on Lambda and on the embedded runtime: the
  // SDK's default chain is replaced by its first link (functions/adapters/aws/credentials.ts).
  alias: {
    '@aws-sdk/credential-provider-node': fileURLToPath(new URL('../functions/adapters/aws/credentials.ts', import.meta.url)),
  } as Readonly<Record<string, string>>,
} as const;

/** `BUNDLE.alias` as esbuild's command line takes it (NodejsFunction's `esbuildArgs`). */
export function aliasArguments(): Record<string, string> {
  return Object.fromEntries(Object.entries(BUNDLE.alias).map(([name, path]) => [`--alias:${name}`, path]));
}

/**
 * Libraries a function loads on one route only (`await import(name)`), each with the module that
 * says what of it the function uses. They are left out of the function's file and bundled beside
 * it as a package of its own (`node_modules/<name>/index.mjs` in the asset): V8 compiles a
 * module's whole text when it is loaded, so a library inside the file costs every cold start,
 * even when its import is lazy. exceljs is most of the API's bundle.
 */
export const ROUTE_ONLY: Partial<Readonly<Record<FunctionName, Readonly<Record<string, string>>>>> = {
  api: {
    exceljs: "export { default } from 'exceljs';",
    ics: "export { createEvents } from 'ics';",
  },
};

/** The libraries a function bundles beside itself, not inside (none: every one inside). */
export function routeOnlyOf(name: FunctionName): readonly string[] {
  return Object.keys(ROUTE_ONLY[name] ?? {});
}

/**
 * The shell commands that bundle a function's route-only libraries into `outputDir`, with the
 * esbuild of `inputDir` (the project) and the same settings as the function.
 */
export function routeOnlyCommands(name: FunctionName, inputDir: string, outputDir: string): string[] {
  return Object.entries(ROUTE_ONLY[name] ?? {}).map(([library, entry]) => {
    const folder = `${outputDir}/node_modules/${library}`;
    const esbuild = [
      `${inputDir}/node_modules/.bin/esbuild`,
      '--bundle',
      '--platform=node',
      '--format=esm',
      `--target=${BUNDLE.target}`,
      `--main-fields=${BUNDLE.mainFields.join(',')}`,
      ...(BUNDLE.minify ? ['--minify'] : []),
      `--banner:js=${BUNDLE.banner}`,
      `--outfile=${folder}/index.mjs`,
      '--log-level=error',
    ];
    return [
      `mkdir -p ${quote(folder)}`,
      `printf '%s' ${quote(JSON.stringify({ name: library, type: 'module', main: 'index.mjs' }))} > ${quote(`${folder}/package.json`)}`,
      // esbuild resolves what it reads from stdin from its working directory: the project.
      `cd ${quote(inputDir)}`,
      `printf '%s' ${quote(entry)} | ${esbuild.map(quote).join(' ')}`,
    ].join(' && ');
  });
}

/** A word for bash: in single quotes, each single quote closed, escaped and reopened. */
function quote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}
