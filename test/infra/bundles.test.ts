import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, type Metafile, build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../contract/index.ts';
import { BUNDLE, ROUTE_ONLY, routeOnlyCommands, routeOnlyOf } from '../../infra/bundling.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Each function's bundle, as infra/functions.ts has esbuild make it: the AWS SDK inside it, and
 * of its clients only those the function uses. Loading an SDK client is most of a cold start.
 * SES and Step Functions are in the API's bundle, the timers' and the reconciler's, but loaded on
 * first use (functions/app/context.ts).
 */
const CLIENTS: Record<FunctionName, readonly string[]> = {
  api: ['client-dynamodb', 'client-sesv2', 'client-sfn'],
  timer: ['client-dynamodb', 'client-sesv2', 'client-sfn'],
  notify: ['client-dynamodb', 'client-sesv2', 'client-sfn'],
  escalate: ['client-dynamodb', 'client-sesv2', 'client-sfn'],
  digest: ['client-dynamodb', 'client-sesv2'],
  reconcile: ['client-dynamodb', 'client-sesv2', 'client-sfn'],
  provision: ['client-dynamodb', 'client-sesv2', 'client-sfn'],
  'mail-events': ['client-dynamodb'],
  snapshot: ['client-dynamodb'],
  // The stream's images are read as the store reads its items (obligationOfImage).
  start: ['client-dynamodb', 'client-sfn'],
};

/** What every function's bundle is built with (infra/bundling.ts), minus minifying, which changes no input's share. */
const AS_THE_FUNCTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: BUNDLE.target,
  mainFields: [...BUNDLE.mainFields],
  banner: { js: BUNDLE.banner },
  alias: { ...BUNDLE.alias },
  tsconfig: join(PROJECT_ROOT, 'tsconfig.json'),
  logLevel: 'silent',
} satisfies BuildOptions;

/** Every handler in one esbuild run: what each output holds is what NodejsFunction's bundle would. */
async function bundles(): Promise<Record<FunctionName, Metafile['outputs'][string]>> {
  const { metafile } = await build({
    entryPoints: Object.fromEntries(FUNCTIONS.map((name) => [name, join(PROJECT_ROOT, 'functions', 'handlers', `${name}.ts`)])),
    ...AS_THE_FUNCTIONS,
    write: false,
    outdir: 'out',
    outExtension: { '.js': '.mjs' },
    external: [...BUNDLE.externalModules, ...new Set(FUNCTIONS.flatMap(routeOnlyOf))],
    metafile: true,
  });
  return Object.fromEntries(
    FUNCTIONS.map((name) => {
      const output = metafile.outputs[`out/${name}.mjs`];
      if (output === undefined) throw new Error(`esbuild wrote no bundle for ${name}`);
      return [name, output];
    }),
  ) as Record<FunctionName, Metafile['outputs'][string]>;
}

/** The inputs whose code is in the bundle (not merely looked at and shaken out). */
function inputsIn(output: Metafile['outputs'][string]): string[] {
  return Object.entries(output.inputs)
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([input]) => input);
}

/** The SDK clients whose code is in the bundle (not merely looked at and shaken out). */
function clientsIn(output: Metafile['outputs'][string]): string[] {
  const clients = inputsIn(output).flatMap((input) => /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(input)?.[1] ?? []);
  return [...new Set(clients)].sort();
}

describe("each function's bundle", () => {
  let outputs: Record<FunctionName, Metafile['outputs'][string]>;
  beforeAll(async () => {
    outputs = await bundles();
  }, 120_000);

  it.each(FUNCTIONS.map((name) => [name]))('%s carries the SDK, with only the clients it uses', (name) => {
    const output = outputs[name];
    expect(output.imports.filter((imported) => imported.external && imported.path.startsWith('@aws-sdk/')).map((imported) => imported.path)).toEqual([]);
    expect(clientsIn(output)).toEqual(CLIENTS[name]);
  });

  it.each(FUNCTIONS.map((name) => [name]))('%s carries zod without its locales (a namespace import: `import { z }` kept all 40)', (name) => {
    const inputs = inputsIn(outputs[name]);
    expect(inputs.some((input) => input.includes('node_modules/zod/'))).toBe(true);
    expect(inputs.filter((input) => /node_modules\/zod\/v4\/locales\/(?!en\.js|index\.js)/.test(input))).toEqual([]);
  });

  it.each(FUNCTIONS.map((name) => [name]))('%s takes its credentials from the environment alone: no other link of the default chain, no STS or SSO client', (name) => {
    const inputs = inputsIn(outputs[name]);
    expect(inputs.filter((input) => /node_modules\/@aws-sdk\/(credential-provider-(?!env\/)|nested-clients\/)/.test(input))).toEqual([]);
    expect(inputs.some((input) => input.includes('node_modules/@aws-sdk/credential-provider-env/'))).toBe(true);
  });

  it('the API leaves exceljs and ics out of its file, to be loaded from beside it on the routes that use them', () => {
    const output = outputs.api;
    expect(Object.keys(output.inputs).filter((input) => /node_modules\/(exceljs|ics|jszip)\//.test(input))).toEqual([]);
    expect(output.imports.filter((imported) => imported.external && imported.kind === 'dynamic-import' && !imported.path.startsWith('node:')).map((imported) => imported.path).sort()).toEqual(['exceljs', 'ics']);
    // No other function loads them: none is left without a library it imports.
    for (const name of FUNCTIONS.filter((candidate) => candidate !== 'api')) expect(routeOnlyOf(name)).toEqual([]);
  });
});

describe("a bundle's credentials", () => {
  it("are the environment's keys, read by a client built as the functions are", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'merzim-credentials-'));
    try {
      const entry = "import { documentClient } from './functions/adapters/aws/dynamodb.ts'; const c = await documentClient().config.credentials(); console.log(JSON.stringify({ key: c.accessKeyId, secret: c.secretAccessKey, token: c.sessionToken }));";
      await build({
        ...AS_THE_FUNCTIONS,
        stdin: { contents: entry, resolveDir: PROJECT_ROOT, loader: 'ts' },
        outfile: join(folder, 'index.mjs'),
      });
      const run = (env: Readonly<Record<string, string>>): string =>
        execFileSync(process.execPath, [join(folder, 'index.mjs')], { env: { PATH: process.env.PATH, AWS_REGION: 'eu-central-1', ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      // What Lambda sets for the function's role.
      expect(JSON.parse(run({ AWS_ACCESS_KEY_ID: 'ASIAROLEKEY', AWS_SECRET_ACCESS_KEY: 'role-secret', AWS_SESSION_TOKEN: 'role-token' }))).toEqual({ key: 'ASIAROLEKEY', secret: 'role-secret', token: 'role-token' });
      // No credentials in the environment: the request fails at once, it does not go looking elsewhere.
      expect(() => run({})).toThrow(/Unable to find environment variable credentials/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the route-only libraries bundled beside a function', () => {
  it("are packages its bundle's bare imports find, exporting what the routes use", async () => {
    const asset = mkdtempSync(join(tmpdir(), 'merzim-route-only-'));
    try {
      for (const command of routeOnlyCommands('api', PROJECT_ROOT, asset)) execFileSync('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
      expect(Object.keys(ROUTE_ONLY.api ?? {})).toEqual(['exceljs', 'ics']);
      for (const library of ['exceljs', 'ics']) {
        expect(JSON.parse(readFileSync(join(asset, 'node_modules', library, 'package.json'), 'utf8'))).toMatchObject({ type: 'module', main: 'index.mjs' });
      }
      const ics = (await import(pathToFileURL(join(asset, 'node_modules', 'ics', 'index.mjs')).href)) as { createEvents: (events: unknown[]) => { value?: string } };
      expect(ics.createEvents([{ start: [2026, 3, 2], duration: { hours: 1 }, title: 'deadline' }]).value).toContain('BEGIN:VEVENT');
      const excel = (await import(pathToFileURL(join(asset, 'node_modules', 'exceljs', 'index.mjs')).href)) as { default: { Workbook: new () => { addWorksheet(name: string): unknown; xlsx: { writeBuffer(): Promise<ArrayBuffer> } } } };
      const workbook = new excel.default.Workbook();
      workbook.addWorksheet('sheet');
      // An XLSX file is a zip: its first bytes are PK.
      expect(Buffer.from(await workbook.xlsx.writeBuffer()).subarray(0, 2).toString()).toBe('PK');
    } finally {
      rmSync(asset, { recursive: true, force: true });
    }
  }, 120_000);
});
