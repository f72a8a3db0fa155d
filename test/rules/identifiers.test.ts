import { describe, expect, it } from 'vitest';
import { CaseReferenceSchema, OrganisationUnitSchema, WorkIdentitySchema } from '../../shared/base/index.ts';

describe('identifiers hold no personal data', () => {
  it.each(['ЖҚ-2026/0147', 'КУИ №1234-56', 'DV.2026.000314', 'ПП/17'])('takes the case reference %s', (reference) => {
    expect(CaseReferenceSchema.parse(reference)).toBe(reference);
  });

  it.each([
    ['', /required/],
    ['860412350123', /12-digit/],
    ['ЖҚ 8604 1235 0123', /12-digit/],
    ['Иванов И.И., ул. Абая 5', /letters, digits/],
    ['x'.repeat(65), /at most 64/],
    ['<script>', /letters, digits/],
  ])('refuses the case reference %j', (reference, message) => {
    const result = CaseReferenceSchema.safeParse(reference);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });

  it('takes codes for units and work identities, and nothing else', () => {
    expect(OrganisationUnitSchema.safeParse('almaty-bostandyk-akimat-dep').success).toBe(true);
    expect(OrganisationUnitSchema.safeParse('Almaty Akimat').success).toBe(false);
    expect(WorkIdentitySchema.safeParse('insp.0042').success).toBe(true);
    expect(WorkIdentitySchema.safeParse('insp-860412350123').success).toBe(false);
  });
});
