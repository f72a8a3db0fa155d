import * as z from 'zod';
import { refusePersonalData } from './personal-data.ts';
import { FORBIDDEN_MESSAGE, REFERENCE_LIMITS, holdsForbiddenCharacter } from './text.ts';

/**
 * The only ways Merzim knows a case and the people who act on it (LEGAL.md §5): the owning
 * body's case reference, an organisation unit, a work identity. None may carry personal data, so
 * each is short, of a narrow alphabet, and passes the personal-data guard (an IIN, a phone, an
 * e-mail address, a full name: shared/base/personal-data.ts).
 */
export const CaseReferenceSchema = z
  .string()
  .refine((value) => !holdsForbiddenCharacter(value), `a case reference ${FORBIDDEN_MESSAGE}`)
  .trim()
  .min(1, 'a case reference is required')
  .max(REFERENCE_LIMITS.caseReference, `a case reference has at most ${REFERENCE_LIMITS.caseReference} characters`)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ./_#№-]*$/u, 'a case reference holds letters, digits and . / _ # № - only')
  .superRefine(refusePersonalData('a case reference'));

export const OrganisationUnitSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'an organisation unit is a code of a-z, 0-9 and -, 2 to 63 long')
  .superRefine(refusePersonalData('an organisation unit'));

export const WorkIdentitySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'a work identity is a code of a-z, 0-9, . _ -, 2 to 63 long')
  .superRefine(refusePersonalData('a work identity'));
