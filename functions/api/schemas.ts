import * as z from 'zod';
import { ActSchema, CaseReferenceSchema, MemberSchema, OrganisationSchema, OrganisationUnitSchema, PERSONAL_DATA_KINDS, WorkIdentitySchema, refusePersonalData } from '../../shared/base/index.ts';
import { CalendarOverrideSchema } from '../../shared/calendar/index.ts';
import { LocalDateSchema, ObligationIdSchema } from '../../shared/model/index.ts';
import { RuleSchema } from '../../shared/rules/index.ts';
import { OpeningSchema } from './opening.ts';
import { EventViewSchema, ListedObligationViewSchema, NoticeViewSchema, ObligationViewSchema, PlanViewSchema, ShownInstantSchema, TextsSchema } from './views.ts';

/**
 * The API's own schemas: path parameters, query strings, headers and bodies that the shared
 * model does not define, and the responses. Routes parse with them; the OpenAPI document is
 * generated from them.
 */

// Headers

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/**
 * ⚠ A canonical UUID (8-4-4-4-12 hex digits) is taken as a machine's key and not read for personal
 * data: its hex groups hold 12 digits in a row, or a phone's shape, in about 1 of 30 random UUIDs,
 * and refusing those would make a client's retries fail by chance. Any other key passes the
 * personal-data guard, and is refused (400) before anything is written.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,128}$/, 'an Idempotency-Key is 8 to 128 characters of A-Z, a-z, 0-9, _ and -')
  .superRefine((key, context) => {
    if (!UUID.test(key)) refusePersonalData('an Idempotency-Key')(key, context);
  })
  .meta({
    description:
      'Makes a retry safe: the same key with the same body returns what the first request opened (header Idempotent-Replayed: true); with another body, 409. A key that holds personal data (12 digits through any separators, a phone number) is refused with 400: use a UUID or random base64url.',
  });

// Path parameters

export const ObligationPathSchema = z.object({ id: ObligationIdSchema });
export const RulePathSchema = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'a rule id is a code of a-z, 0-9 and -, 2 to 64 long') });
export const YearPathSchema = z.object({ year: z.string().regex(/^\d{4}$/, 'a year like 2026').transform(Number) });
export const DatePathSchema = z.object({ date: LocalDateSchema });
export const OrgPathSchema = z.object({ org: OrganisationUnitSchema });
export const MemberPathSchema = z.object({ org: OrganisationUnitSchema, user: WorkIdentitySchema });

// Query strings

export const LIST_STATUSES = ['open', 'overdue', 'closed', 'due-soon'] as const;
const CURSOR = /^[A-Za-z0-9_-]{1,2048}$/;
/**
 * A whole number in a query string: digits only (no `1e2`, no `0x10`), within bounds. A run of
 * more digits than any bound has reads as over it, so that the answer says what is wrong.
 */
export const integer = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d+$/, `${what} is a whole number`)
    .transform((digits) => (digits.length > 9 ? Number.MAX_SAFE_INTEGER : Number(digits)))
    .pipe(z.number().int().min(min, `${what} is at least ${min}`).max(max, `${what} is at most ${max}`));

export const LIST_GROUPS = ['overdue', 'week', 'later'] as const;
export const ListQuerySchema = z
  .strictObject({
    org: OrganisationUnitSchema.optional(),
    assignee: WorkIdentitySchema.optional(),
    issuer: OrganisationUnitSchema.optional(),
    /** `due-soon`: open and due within `within` days of now. */
    status: z.enum(LIST_STATUSES).optional().meta({ description: 'open (the default), overdue, closed, or due-soon (open and due within `within` days); not with `group`' }),
    group: z.enum(LIST_GROUPS).optional().meta({
      description:
        'A part of the open work, cut at the server’s now in Kazakhstan time (+05:00): overdue (due by now), week (due after now until the end of this Sunday, 24:00 at +05:00), later (due after that Sunday). Not with `status`.',
    }),
    caseRef: CaseReferenceSchema.optional().meta({ description: 'Only obligations whose case reference begins with this (as written: letters keep their case)' }),
    within: integer(1, 366, 'within').optional().meta({ description: 'due-soon only: days ahead (default 3)' }),
    limit: integer(1, 100, 'limit').default(50),
    cursor: z
      .string()
      .regex(CURSOR, 'not a cursor this API gave')
      .optional()
      .meta({ description: 'The `cursor` of the previous page, given back with the same query: it is sealed, and opens only for that query and caller' }),
  })
  .superRefine((query, context) => {
    const given = (['org', 'assignee', 'issuer'] as const).filter((key) => query[key] !== undefined);
    if (given.length !== 1) {
      context.addIssue({ code: 'custom', path: [given[1] ?? 'org'], message: 'give exactly one of org, assignee or issuer' });
    }
    if (query.within !== undefined && query.status !== 'due-soon') {
      context.addIssue({ code: 'custom', path: ['within'], message: 'within goes with status=due-soon' });
    }
    if (query.group !== undefined && query.status !== undefined) {
      context.addIssue({ code: 'custom', path: ['group'], message: 'give status or group, not both' });
    }
  });
export type ListQueryInput = z.output<typeof ListQuerySchema>;

// Bodies

export const OverrideBodySchema = CalendarOverrideSchema.omit({ date: true }).strict();
export const OrganisationBodySchema = OrganisationSchema.extend({ org: OrganisationUnitSchema.optional() })
  .strict()
  .meta({ description: 'An organisation unit; `org` may be left out, and must equal the path when given' });
export const MemberBodySchema = MemberSchema.omit({ org: true, user: true }).strict();

// Responses

export const ErrorSchema = z.object({
  message: z.string(),
  issues: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        row: z.number().int().optional(),
        personalData: z.enum(PERSONAL_DATA_KINDS).optional().meta({ description: 'The kind of personal data the field holds, where that is why it was refused' }),
      }),
    )
    .optional(),
  requestId: z.string().optional(),
});

export const OpenedResponseSchema = z.object({ obligations: z.array(ObligationViewSchema) });
export const ObligationResponseSchema = z.object({
  obligation: ObligationViewSchema,
  opened: ObligationViewSchema.optional().meta({ description: 'The obligation the act opened: a renewed order' }),
});
export const AllowedActSchema = z.object({
  act: ActSchema,
  needs: z.array(z.enum(['reason', 'dueDate', 'start', 'org', 'assignee'])).meta({ description: 'What the request must carry besides the act (and `at`, now by default)' }),
});
export const ObligationDetailResponseSchema = z.object({
  obligation: ObligationViewSchema,
  allowedActs: z.array(AllowedActSchema).meta({ description: 'The acts this caller may record now, from the rule\'s authority in the catalog and the obligation\'s state' }),
  events: z.array(EventViewSchema),
  notices: z.array(NoticeViewSchema),
});
export const ListResponseSchema = z.object({
  obligations: z.array(ListedObligationViewSchema).meta({ description: 'One page of the list, as the cards show it: the plan comes with each obligation (GET /obligations/{id})' }),
  cursor: z.string().optional().meta({ description: 'Pass it back as `cursor`, with the same query, for the next page; absent on the last page. Opaque: it holds no id and no time' }),
  group: z
    .object({
      name: z.enum(LIST_GROUPS),
      asOf: ShownInstantSchema.meta({ description: 'The now the group was cut at' }),
      dueAfter: ShownInstantSchema.optional().meta({ description: 'The group holds what is due after this instant' }),
      dueBy: ShownInstantSchema.optional().meta({ description: 'and due by this one (for `week`, the end of Sunday at +05:00)' }),
      total: z.number().int().meta({ description: 'How many obligations the whole group holds (every page), with the `caseRef` filter' }),
    })
    .optional()
    .meta({ description: 'With `group`: where the group was cut, and its size' }),
});

export const CaseQuerySchema = z.strictObject({ caseRef: CaseReferenceSchema.meta({ description: 'The case reference, exactly' }) });
export const CaseResponseSchema = z.object({
  caseRef: z.string(),
  obligations: z.array(ListedObligationViewSchema).meta({ description: 'Every obligation of the case the caller can see, open and closed, by due instant, as the cards show it (the plan comes with each obligation)' }),
});

export const RuleSummarySchema = RuleSchema.pick({
  id: true,
  version: true,
  names: true,
  actor: true,
  closedBy: true,
  sources: true,
  validFrom: true,
  validTo: true,
  overdueGrounds: true,
  defaultVariant: true,
}).extend({
  variants: z.array(z.object({ id: z.string(), names: TextsSchema })),
  notes: z.array(z.string()),
  opening: OpeningSchema.optional().meta({ description: 'Present when this caller may open the rule: for whom, naming which issuer, with which fields' }),
});
/** POST /plans/preview: what opening would make, written nowhere. */
export const PreviewResponseSchema = z.object({
  plans: z.array(
    z.object({
      rule: z.string(),
      ruleName: TextsSchema,
      variant: z.string().optional(),
      caseRef: z.string(),
      org: OrganisationUnitSchema,
      issuedBy: OrganisationUnitSchema.optional(),
      label: z.string().optional().meta({ description: 'A measure’s label' }),
      openedWith: z.string().optional().meta({ description: 'The rule this one is opened with (an order’s first check, a submission’s measure)' }),
      start: ShownInstantSchema,
      dueAt: ShownInstantSchema,
      plan: PlanViewSchema,
      sources: RuleSchema.shape.sources.meta({ description: 'The legal sources of the rule' }),
      overdueGrounds: RuleSchema.shape.overdueGrounds.meta({ description: 'What the law makes of the missed deadline' }),
    }),
  ),
});

export const RulesResponseSchema = z.object({ rules: z.array(RuleSummarySchema) });
export const RuleResponseSchema = z.object({ rule: RuleSchema });

/** The mark of a day past the published calendar: projected from the law, with why. */
const ProjectedMarkSchema = z
  .object({ why: z.string(), basis: z.enum(['law', 'computed', 'inferred']) })
  .optional()
  .meta({ description: 'Present on a day past the published calendar: projected from the law (computed and inferred are ⚠), until the year’s decree is entered' });

export const CalendarResponseSchema = z.object({
  year: z.number().int(),
  version: z.string(),
  nonWorkingWeekdays: z.array(z.object({ date: z.string(), names: TextsSchema.optional(), reason: z.string(), projected: ProjectedMarkSchema })),
  workingWeekendDays: z.array(z.object({ date: z.string(), reason: z.string(), projected: ProjectedMarkSchema })),
  overrides: z.array(CalendarOverrideSchema),
});
export const OverridesResponseSchema = z.object({ overrides: z.array(CalendarOverrideSchema) });
export const OverrideResponseSchema = z.object({
  override: CalendarOverrideSchema,
  replanned: z.number().int().meta({ description: 'Obligations whose plans the change moved, now on a new revision' }),
});
export const OrganisationsResponseSchema = z.object({ organisations: z.array(OrganisationSchema) });
export const OrganisationResponseSchema = z.object({ organisation: OrganisationSchema });
export const MemberResponseSchema = z.object({ member: MemberSchema });
export const ActionPlanResponseSchema = z.object({
  opened: z.number().int().meta({ description: 'Obligations the plan has now (opened by this request or an earlier run of it)' }),
  replayed: z.number().int().meta({ description: 'Of them, those an earlier run had opened already' }),
  obligations: z.array(ObligationIdSchema),
});
