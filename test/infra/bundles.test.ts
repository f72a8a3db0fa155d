import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Metafile, build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../contract/index.ts';
import { BUNDLE } from '../../infra/bundling.ts';

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

/** Every handler in one esbuild run: what each output holds is what NodejsFunction's bundle would. */
async function bundles(): Promise<Record<FunctionName, Metafile['outputs'][string]>> {
  const { metafile } = await build({
    entryPoints: Object.fromEntries(FUNCTIONS.map((name) => [name, join(PROJECT_ROOT, 'functions', 'handlers', `${name}.ts`)])),
    bundle: true,
    write: false,
    outdir: 'out',
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    format: 'esm',
    target: BUNDLE.target,
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    // Minifying changes no input's share: left out, to keep the test quick.
    external: [...BUNDLE.externalModules],
    tsconfig: join(PROJECT_ROOT, 'tsconfig.json'),
    metafile: true,
    logLevel: 'silent',
  });
  return Object.fromEntries(
    FUNCTIONS.map((name) => {
      const output = metafile.outputs[`out/${name}.mjs`];
      if (output === undefined) throw new Error(`esbuild wrote no bundle for ${name}`);
      return [name, output];
    }),
  ) as Record<FunctionName, Metafile['outputs'][string]>;
}

/** The SDK clients whose code is in the bundle (not merely looked at and shaken out). */
function clientsIn(output: Metafile['outputs'][string]): string[] {
  const clients = new Set<string>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const client = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(input)?.[1];
    if (client !== undefined && bytesInOutput > 0) clients.add(client);
  }
  return [...clients].sort();
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
});
