import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnTemplate } from '../../local/system/template.ts';

/** A hand-made cloud assembly: a template in the shape the CDK writes, and an echo bundle. */
export const fixtureAssembly = join(import.meta.dirname, 'fixtures', 'assembly');

export function fixtureTemplate(): CfnTemplate {
  return JSON.parse(readFileSync(join(fixtureAssembly, 'Merzim-dev.template.json'), 'utf8')) as CfnTemplate;
}

/** What the echo bundle recorded (it keeps its calls on a global). */
export interface EchoCall {
  readonly functionName: string;
  readonly event: Record<string, unknown>;
  readonly env: { readonly TABLE_NAME?: string; readonly STAGE?: string };
}

export function echoCalls(): EchoCall[] {
  const key = Symbol.for('merzim.test.calls');
  const global = globalThis as Record<symbol, unknown>;
  global[key] ??= [];
  return global[key] as EchoCall[];
}
