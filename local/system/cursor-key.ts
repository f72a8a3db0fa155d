import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The local stand-in for the stack's cursor-key secret (infra/functions.ts, functions/api/
 * cursor.ts): 32 random bytes made on first start in the data directory's keys, readable by their
 * owner only, kept across restarts so that a list's cursors outlive them.
 */
const FILE = 'cursor-key';

export function loadOrCreateCursorKey(dir: string): string {
  const path = join(dir, FILE);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    // `wx`: if another process made it meanwhile, theirs wins and is read below.
    writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(path, 'utf8').trim();
}
