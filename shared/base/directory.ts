import * as z from 'zod';
import { OrganisationUnitSchema, WorkIdentitySchema } from './identifiers.ts';
import { RoleSchema } from './roles.ts';
import { refusePersonalData } from './personal-data.ts';
import { REFERENCE_LIMITS, freeText } from './text.ts';

/**
 * The organisation directory: units in a hierarchy (region → district → akimat department,
 * police unit, commission …) and the people who act for them, known by work identity, role and
 * a work mailbox. Escalation walks up this hierarchy.
 */
export const ORGANISATION_KINDS = [
  'region',
  'district',
  'akimat',
  'akimat-department',
  'police-department',
  'police-unit',
  'police-committee',
  'commission',
  'crisis-centre',
  'education',
  'health',
  'other',
] as const;
export const OrganisationKindSchema = z.enum(ORGANISATION_KINDS);
export type OrganisationKind = z.infer<typeof OrganisationKindSchema>;

const name = freeText('a name', { max: REFERENCE_LIMITS.organisationName });
const NamesSchema = z.strictObject({ kk: name, ru: name, en: name });

export const OrganisationSchema = z.strictObject({
  org: OrganisationUnitSchema,
  kind: OrganisationKindSchema,
  names: NamesSchema,
  /** The unit above: a district above its akimat department, a region above a district. */
  parent: OrganisationUnitSchema.optional(),
});
export type Organisation = z.infer<typeof OrganisationSchema>;

export const MemberSchema = z.strictObject({
  user: WorkIdentitySchema,
  org: OrganisationUnitSchema,
  role: RoleSchema,
  /** A work mailbox; notices go here. Never a personal one made of an IIN or a phone number. */
  email: z
    .email()
    .max(REFERENCE_LIMITS.email)
    .superRefine(refusePersonalData('a work mailbox', ['email'])),
});
export type Member = z.infer<typeof MemberSchema>;

export const DirectorySchema = z
  .object({ organisations: z.array(OrganisationSchema).min(1), members: z.array(MemberSchema) })
  .superRefine((directory, context) => {
    const known = new Set(directory.organisations.map((organisation) => organisation.org));
    directory.organisations.forEach((organisation, index) => {
      if (organisation.parent !== undefined && !known.has(organisation.parent)) {
        context.addIssue({ code: 'custom', path: ['organisations', index, 'parent'], message: `unknown organisation "${organisation.parent}"` });
      }
    });
    directory.members.forEach((member, index) => {
      if (!known.has(member.org)) {
        context.addIssue({ code: 'custom', path: ['members', index, 'org'], message: `unknown organisation "${member.org}"` });
      }
    });
  });
export type Directory = z.infer<typeof DirectorySchema>;
