import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { requiredEnv } from '../adapters/env.ts';
import { ENV } from '../../contract/index.ts';

/**
 * A work list's cursor as the API gives it: the store's place in the list (an index's sort key:
 * a due instant and an obligation id), sealed with AES-256-GCM under the API's cursor key, with
 * the caller and the query as associated data. It reveals nothing of the place, and opens only
 * for the caller and the query it was given for: any other, or a changed byte, is "not a cursor
 * of this list".
 *
 * The key (ENV.cursorKey) is any secret text, hashed to 32 bytes: on AWS a Secrets Manager
 * secret the stack generates (infra/functions.ts), locally one generated into the data
 * directory's keys (local/system/cursor-key.ts). Changing it only makes the cursors given before
 * it invalid: a list then starts again from its first page.
 */

const IV_BYTES = 12;
const TAG_BYTES = 16;

let cached: { readonly secret: string; readonly key: Buffer } | undefined;
function cursorKey(): Buffer {
  const secret = requiredEnv(ENV.cursorKey);
  if (cached?.secret !== secret) cached = { secret, key: createHash('sha256').update('merzim cursor key\u0000').update(secret).digest() };
  return cached.key;
}

/** Seals the store's place for one caller and query (`binding`, their canonical text). */
export function sealCursor(place: string, binding: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', cursorKey(), iv);
  cipher.setAAD(Buffer.from(binding, 'utf8'));
  const sealed = Buffer.concat([cipher.update(place, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The place a cursor holds, or undefined when it was not sealed by this API for this caller and query. */
export function openCursor(cursor: string, binding: string): string | undefined {
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', cursorKey(), bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(binding, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
