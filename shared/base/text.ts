import * as z from 'zod';
import { refusePersonalData } from './personal-data.ts';

/**
 * The text Merzim takes from people, and how much of it (LEGAL.md §5: no personal data). A case
 * is known by its owning body's reference, a unit by its code and names, a person by a work
 * identity and a work mailbox; the only free text is a short work remark (why a refusal, why a
 * cancellation), a calendar correction's grounds and an action plan's item wording. Each is
 * bounded so that it can hold a reference or a sentence, never a case file: the longer a free
 * text may be, the more room for a name, an address or a diagnosis.
 *
 * Why these numbers:
 * - `caseReference` 64: the owning bodies' case numbers are under 30 characters
 *   (`СВ-2026/0142`, `КДН-12/2026-п`, an action plan's `ZKO-IAP-2020/8.2`); twice that leaves
 *   room for prefixes and is still far too short for a narrative;
 * - `remark` 3 to 500: one or two sentences, what the audit trail needs to say why; fewer than
 *   3 characters says nothing;
 * - `overrideReason` 200 and `overrideSource` 300: a decree's title and number, its URL;
 * - `organisationName` 200: the longest official unit names in the demo directory are ~110;
 * - `planText` 300: an action plan item's title or completion form as the plan words it;
 * - `email` 254: the longest address SMTP carries (RFC 5321, 4.5.3.1.3).
 */
export const REFERENCE_LIMITS = {
  caseReference: 64,
  remark: { min: 3, max: 500 },
  overrideReason: { min: 3, max: 200 },
  overrideSource: 300,
  organisationName: 200,
  planText: 300,
  email: 254,
} as const;

/**
 * Characters no text of Merzim may hold: control characters (but tab and line breaks), the bidi
 * embeddings, overrides and isolates (they make a text read otherwise than it is stored), a
 * byte-order mark and the non-characters U+FFFE/U+FFFF, and a lone surrogate (not text at all:
 * it cannot be written as UTF-8, which DynamoDB and e-mail need).
 */
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function holdsForbiddenCharacter(text: string): boolean {
  return FORBIDDEN.test(text);
}

export const FORBIDDEN_MESSAGE = 'must not hold control characters, bidi overrides, a byte-order mark or a lone surrogate';

/**
 * Free text of `min` to `max` characters (after trimming), checked as it came: plain characters
 * only, and no personal data (shared/base/personal-data.ts).
 */
export function freeText(what: string, { min = 1, max }: { readonly min?: number; readonly max: number }) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be text`) })
    .refine((text) => !holdsForbiddenCharacter(text), `${what} ${FORBIDDEN_MESSAGE}`)
    .trim()
    .min(min, min <= 1 ? `${what} is empty` : `${what} has at least ${min} characters`)
    .max(max, `${what} has at most ${max} characters`)
    .superRefine(refusePersonalData(what));
}
