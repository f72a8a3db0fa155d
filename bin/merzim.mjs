#!/usr/bin/env node
// The package's bin: loads the TypeScript CLI through tsx, so `npx merzim` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
