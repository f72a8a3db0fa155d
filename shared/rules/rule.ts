import * as z from 'zod';
import { ActSchema, LegalSourceSchema, OrganisationKindSchema, PartySchema, RoleSchema, WallTimeSchema, isLocalDate } from '../base/index.ts';
import { CountingSchema } from '../periods/index.ts';

const TextsSchema = z.object({ kk: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) });
const DateSchema = z.string().refine(isLocalDate, 'expected YYYY-MM-DD');
/** A rule's source always says how it is cited in Kazakh and Russian: a mail never cites it in English. */
export const CitedSourceSchema = LegalSourceSchema.extend({ cite: TextsSchema });
export type CitedSource = z.infer<typeof CitedSourceSchema>;

/**
 * A distance from the due date (in working days or calendar days, at a time of day) or from the
 * due instant (in hours, for periods counted in 24-hour units). `period-opens` is no distance: the
 * first working day of the period at that time, not before the start (a plan's window of months
 * is reminded as it opens); it is for reminders only.
 */
export const OffsetSchema = z.discriminatedUnion('unit', [
  z.object({ unit: z.literal('working-days'), count: z.number().int().min(0).max(60), at: WallTimeSchema }),
  z.object({ unit: z.literal('days'), count: z.number().int().min(0).max(366), at: WallTimeSchema }),
  z.object({ unit: z.literal('hours'), count: z.number().int().min(0).max(24 * 366) }),
  z.object({ unit: z.literal('period-opens'), at: WallTimeSchema }),
]);
export type Offset = z.infer<typeof OffsetSchema>;

/**
 * A notice that cannot wait for its recipients' morning mail (functions/app/morning.ts) and is
 * sent at its instant: why, in the law's terms (what is lost if it waits for the next working
 * morning). A slot without it goes into the morning mail of the working day it falls on or after.
 */
export const UrgentSchema = z.object({ reason: z.string().min(1) });
export type Urgent = z.infer<typeof UrgentSchema>;

/** A reminder to the one who must act, `before` the due date or instant. */
export const ReminderSchema = z.object({
  notify: z.array(RoleSchema).min(1),
  before: OffsetSchema,
  urgent: UrgentSchema.optional(),
});
export type Reminder = z.infer<typeof ReminderSchema>;

/** What the end of the period means: a missed deadline, or a measure that simply expires. */
export const OnDueSchema = z.object({
  kind: z.enum(['overdue', 'expiry']),
  notify: z.array(RoleSchema),
  urgent: UrgentSchema.optional(),
  /** A measure that expires: what may follow (an order served again, a new court decision), told with the expiry. */
  follows: TextsSchema.optional(),
});

/**
 * One rung of an escalation ladder: who is told, first `after` the due date, then `every` so
 * often, `times` times in all.
 */
export const EscalationStepSchema = z.object({
  notify: z.array(RoleSchema).min(1),
  after: OffsetSchema,
  every: OffsetSchema.optional(),
  times: z.number().int().min(1).max(20),
  urgent: UrgentSchema.optional(),
});
export type EscalationStep = z.infer<typeof EscalationStepSchema>;
export const EscalationLadderSchema = z.array(EscalationStepSchema);
export type EscalationLadder = z.infer<typeof EscalationLadderSchema>;

/**
 * How a recurring obligation goes on: after the act that ends a cycle (a check starts the next
 * 7 days), or on the calendar (each quarter, month or year), until an act ends it.
 */
export const RecurrenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('after-act'), acts: z.array(ActSchema).min(1), until: z.array(ActSchema) }),
  z.object({ kind: z.literal('calendar'), every: z.enum(['month', 'quarter', 'year']), until: z.array(ActSchema) }),
]);
export type Recurrence = z.infer<typeof RecurrenceSchema>;

/** A count the court or the register category sets per case, within bounds. */
export const CountSetPerCaseSchema = z.object({
  min: z.number().int().min(1),
  max: z.number().int().min(1),
  /** Without a default the case must give the count (a court's term). */
  required: z.boolean(),
  setBy: TextsSchema,
});

/**
 * Who may open a rule's clock and record each act on it (shared/base/roles.ts names the
 * parties). Read it as the rule's row of a table of powers: the law makes one body act, and
 * nobody else moves its clock.
 */
export const AuthoritySchema = z.object({
  opens: z.object({
    /** Who opens the clock: the body that must act, the issuer for the bodies it sends its acts to, the administrator, or Merzim alone. */
    by: z.array(PartySchema).min(1),
    /** The kinds of unit that owe the act: nobody opens this rule for any other (and never for a unit not in the directory). */
    bodies: z.array(OrganisationKindSchema).min(1),
    /** The kinds of unit that issue it, when an issuer opens it (`issuedBy`). */
    issuers: z.array(OrganisationKindSchema).min(1).optional(),
    /** Whether the clock may start in the future (a plan's period, a quarter): otherwise a start ahead of now is refused. */
    startAhead: z.boolean(),
  }),
  /** The acts that may be recorded on this rule and who records each; an act not named does not apply. */
  acts: z.partialRecord(ActSchema, z.array(PartySchema).min(1)),
  /** What a transfer hands over: the case to another acting unit, or to another issuer (a minor's case to another commission). */
  transfers: z.enum(['acting-body', 'issuer']).optional(),
  /** The legal ground for pausing the clock (suspended / resumed); without one, nobody pauses it. */
  pause: z.object({ ground: TextsSchema, source: CitedSourceSchema }).optional(),
  /** Judgements where the law is silent, each with ⚠ and why. */
  notes: z.array(z.string()),
});
export type Authority = z.infer<typeof AuthoritySchema>;

/** A rule opened together with another: an order opens its first check; a submission its measures. */
export const CompanionSchema = z.object({
  rule: z.string(),
  /** One with each opening, or one per measure the request lists. */
  per: z.enum(['opening', 'measure']),
  why: z.string(),
});
export type Companion = z.infer<typeof CompanionSchema>;

const RuleBodySchema = z.object({
  counting: CountingSchema,
  reminders: z.array(ReminderSchema),
  onDue: OnDueSchema,
  escalation: EscalationLadderSchema,
  recurrence: RecurrenceSchema.optional(),
  countSetPerCase: CountSetPerCaseSchema.optional(),
});

/** A variant changes some of a rule's body: the district or the regional quarterly report. */
export const RuleVariantSchema = RuleBodySchema.partial().extend({ names: TextsSchema });
export type RuleVariant = z.infer<typeof RuleVariantSchema>;

export const RuleSchema = RuleBodySchema.extend({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  version: z.number().int().min(1),
  names: TextsSchema,
  sources: z.array(CitedSourceSchema).min(1),
  /** The days this version applies to, both ends included: a clock that starts outside them is planned by another version, or refused. */
  validFrom: DateSchema,
  validTo: DateSchema.nullable(),
  /** The act, and its provision, that brings this version into force on `validFrom`: a refused start names it. */
  enactedBy: LegalSourceSchema,
  startEvent: ActSchema,
  /** Who must act. */
  actor: RoleSchema,
  /** The acts that close the obligation (or end the cycle of a recurring one). */
  closedBy: z.array(ActSchema),
  /** What the law makes of a missed deadline, told to those it is escalated to. */
  overdueGrounds: z.object({ names: TextsSchema, source: CitedSourceSchema }).optional(),
  authority: AuthoritySchema,
  companions: z.array(CompanionSchema).optional(),
  variants: z.record(z.string(), RuleVariantSchema).optional(),
  defaultVariant: z.string().optional(),
  notes: z.array(z.string()).optional(),
});
export type Rule = z.infer<typeof RuleSchema>;
