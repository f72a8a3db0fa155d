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
} as const;
