import { type ExecFileOptions, execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const bin = fileURLToPath(new URL('../../bin/merzim.mjs', import.meta.url));
const run = promisify(execFile);

export interface BinResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `merzim` bin, as `npx merzim` does, in `options`' environment and folder (the test's by default). */
export function merzimIn(options: ExecFileOptions = {}): (...args: string[]) => Promise<BinResult> {
  return async (...args) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], { ...options, encoding: 'utf8' });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as BinResult;
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
}

/** Runs the real `merzim` bin, as `npx merzim` does. */
export const merzim = merzimIn();
