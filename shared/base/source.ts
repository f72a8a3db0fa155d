import * as z from 'zod';
import type { LocalDate } from './local-date.ts';

/**
 * Where a fact of law comes from. `official` is read in the act itself (or a seed document
 * quoting it); `secondary` comes from public reports of it; `inferred` is derived by the rules
 * and awaits confirmation. The last two are marked ⚠ in LEGAL.md and are data an administrator
 * can correct, never constants in code. `seed` points into ../shared/seeds: file and lines.
 */
export const LegalSourceSchema = z.object({
  act: z.string().min(1),
  provision: z.string().optional(),
  seed: z.object({ file: z.string(), lines: z.string() }).optional(),
  confidence: z.enum(['official', 'secondary', 'inferred']),
  note: z.string().optional(),
  /**
   * How an official cites it, in each language: `КоАП РК, ст. 826, ч. 2`, `ҚР ӘҚБтК, 826-бап,
   * 2-бөлік`, `CoAO, art. 826(2)`. A mail cites it in its own language; `act` and `provision`
   * stay the catalog's English record of it.
   */
  cite: z.object({ kk: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) }).optional(),
});
export type LegalSource = z.infer<typeof LegalSourceSchema>;

/** The days on which a fact applies, both ends included; `validTo: null` is open-ended. */
export interface Validity {
  readonly validFrom: LocalDate;
  readonly validTo: LocalDate | null;
}

export function isValidOn(fact: Validity, date: LocalDate): boolean {
  return date >= fact.validFrom && (fact.validTo === null || date <= fact.validTo);
}
