import * as z from 'zod';
import { type Act, ActSchema, CaseReferenceSchema, type Instant, OrganisationUnitSchema, REFERENCE_LIMITS, WorkIdentitySchema, freeText, holdsForbiddenCharacter, isLocalDate, parseInstant, refusePersonalData } from '../base/index.ts';
import type { Plan } from '../rules/index.ts';

/**
 * An obligation: one clock of one rule for one case and one body that must act. What the API
 * takes to open one or to record an act, and what the table keeps.
 */

export const ObligationIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{2,69}$/, 'an obligation id is a code of a-z, 0-9 and -, 3 to 70 long');

export const LocalDateSchema = z.string().refine(isLocalDate, 'expected a calendar date YYYY-MM-DD');

/** An instant as people write it (`2026-03-19T15:20:00+05:00`, `2026-03-19T15:20`, `2026-03-19`), read as epoch ms. */
export const InstantInputSchema = z
  .string()
  .max(40)
  .transform((text, context): Instant => {
    try {
      return parseInstant(text);
    } catch (error) {
      context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'not an instant' });
      return z.NEVER;
    }
  });

/** A short free text (a refusal's reason, a note): a work remark, never personal data. */
export const RemarkSchema = freeText('a remark', REFERENCE_LIMITS.remark);

/** What a plan item asks for, as the plan words it: the text its mails and pages show. Never about people. */
export const ItemTextSchema = freeText('an item\'s text', { max: REFERENCE_LIMITS.planText });

/**
 * The label of a measure or a plan item, as the document numbers it: `1`, `8.2`. Digits only: an
 * IIN-like number is refused by length here and named as such by the personal-data guard.
 */
export const ItemLabelSchema = z
  .string()
  .superRefine(refusePersonalData('the item number'))
  // After the guard: personal data is refused as such, not as a misnumbered item.
  .pipe(z.string().regex(/^\d{1,3}(?:\.\d{1,3}){0,3}$/, 'an item is numbered like 1 or 8.2'));

export const OpenObligationRequestSchema = z
  .object({
    rule: z.string().min(1).max(64),
    variant: z.string().min(1).max(32).optional(),
    caseRef: CaseReferenceSchema,
    /** The body that must act. */
    org: OrganisationUnitSchema.optional(),
    /** A commission decision or submission sent to several bodies: one obligation each. */
    addressees: z.array(OrganisationUnitSchema).min(1).max(30).optional(),
    /** The body waiting for the act: the commission whose decision or submission it is. */
    issuedBy: OrganisationUnitSchema.optional(),
    assignee: WorkIdentitySchema.optional(),
    /** When the clock starts: the conclusion received, the order served, the submission received… */
    start: InstantInputSchema,
    /** The count a court or a register category sets (months of special requirements, days between checks). */
    count: z.number().int().min(1).max(366).optional(),
    /** The last day, where the document sets it (a plan item by a date, a proposed measure). */
    dueDate: LocalDateSchema.optional(),
    /** A recurring obligation ends after this day (an action plan's period). */
    until: LocalDateSchema.optional(),
    /** An action plan's item: its number and what it asks for (`POST /action-plans` fills them in). */
    label: ItemLabelSchema.optional(),
    title: ItemTextSchema.optional(),
    /** A submission's proposed deadlines for its measures, besides the one-month reply. */
    measures: z.array(z.strictObject({ item: ItemLabelSchema, dueDate: LocalDateSchema })).min(1).max(20).optional(),
  })
  .strict()
  .superRefine((request, context) => {
    if ((request.org === undefined) === (request.addressees === undefined)) {
      context.addIssue({ code: 'custom', path: ['org'], message: 'give either org (one body) or addressees (several bodies)' });
    }
    if (request.addressees !== undefined && new Set(request.addressees).size !== request.addressees.length) {
      context.addIssue({ code: 'custom', path: ['addressees'], message: 'an addressee is listed twice' });
    }
    if ((request.label !== undefined || request.title !== undefined) && request.rule !== 'action-plan-item') {
      context.addIssue({ code: 'custom', path: [request.label === undefined ? 'title' : 'label'], message: 'only an action plan\'s item (action-plan-item) carries a label and a text' });
    }
    if (request.measures !== undefined && request.rule !== 'submission-reply') {
      context.addIssue({ code: 'custom', path: ['measures'], message: 'only a submission (submission-reply) carries measures' });
    }
  });
export type OpenObligationRequest = z.output<typeof OpenObligationRequestSchema>;

export const RecordActRequestSchema = z
  .object({
    act: ActSchema,
    /** When it happened; now if not given. */
    at: InstantInputSchema.optional(),
    /** Why: required for a refusal, a cancellation, a correction, a request for time, a pause, and an act dated over 72 hours back. */
    reason: RemarkSchema.optional(),
    /** The new last day an extension asks for or grants. */
    dueDate: LocalDateSchema.optional(),
    /** A corrected start. */
    start: InstantInputSchema.optional(),
    /** The unit a transfer hands the case to. */
    org: OrganisationUnitSchema.optional(),
    /** The official a reassignment gives the obligation to. */
    assignee: WorkIdentitySchema.optional(),
    note: RemarkSchema.optional(),
  })
  .strict()
  .superRefine((request, context) => {
    const needs = ACT_NEEDS[request.act] ?? [];
    for (const field of needs) {
      if (request[field] === undefined) context.addIssue({ code: 'custom', path: [field], message: `${request.act} needs ${NEEDED[field]}` });
    }
  });
export type RecordActRequest = z.output<typeof RecordActRequestSchema>;

/** What an act's request must carry besides the act, and what the dashboard asks for. */
export type ActField = 'reason' | 'dueDate' | 'start' | 'org' | 'assignee';
export const ACT_NEEDS: Partial<Record<Act, readonly ActField[]>> = {
  refused: ['reason'],
  cancelled: ['reason'],
  'extension-requested': ['dueDate', 'reason'],
  extended: ['dueDate'],
  'extension-refused': ['reason'],
  'start-corrected': ['start', 'reason'],
  transferred: ['org'],
  reassigned: ['assignee'],
  suspended: ['reason'],
};
const NEEDED: Record<ActField, string> = {
  reason: 'a reason',
  dueDate: 'the new last day (dueDate)',
  start: 'the corrected start',
  org: 'the unit that takes the case over (org)',
  assignee: 'the official who takes it (assignee)',
};

/**
 * open → overdue (the due instant passed: written by the timer where someone is told of it, read
 * from the due instant elsewhere, see `statusAt`) → done (the act that closes it) | expired (a
 * measure in force ran out) | cancelled. A calendar-recurring obligation goes from done back to open with
 * its next cycle. `suspended`: paused on the legal ground its rule names, until resumed; it stays
 * on the open work lists, so a pause cannot hide it.
 */
export const OBLIGATION_STATUSES = ['open', 'overdue', 'done', 'expired', 'cancelled', 'suspended'] as const;
export const ObligationStatusSchema = z.enum(OBLIGATION_STATUSES);
export type ObligationStatus = z.infer<typeof ObligationStatusSchema>;

/**
 * The status as of an instant: an open obligation whose due instant has passed is overdue. The
 * timer marks an obligation overdue only where its due instant tells someone (a commission's
 * secretary, a shelter's head); elsewhere nothing is written then, and every reader derives it.
 */
export function statusAt(obligation: Pick<Obligation, 'status' | 'dueAt'>, at: number): ObligationStatus {
  return obligation.status === 'open' && obligation.dueAt <= at ? 'overdue' : obligation.status;
}

/** How work lists group statuses. */
export type ListState = 'open' | 'overdue' | 'closed';

/**
 * The index partition of a status. Open, overdue and suspended obligations share one, ordered
 * by due instant: the open list is its part due after now, the overdue list the part due by now,
 * so that an obligation falls overdue with nothing written (`statusAt`).
 */
export type IndexState = 'open' | 'closed';
export function indexStateOf(status: ObligationStatus): IndexState {
  return status === 'open' || status === 'overdue' || status === 'suspended' ? 'open' : 'closed';
}

export const PlanStoredSchema = z.custom<Plan>(
  (value) => typeof value === 'object' && value !== null && 'dueAt' in value && 'milestones' in value,
  'a stored plan',
);

/**
 * Where the obligation's timer stands, kept on the obligation because the reconciler must not
 * depend on execution history (AWS keeps a closed execution 90 days): the revision it runs, the
 * segment running now (a plan longer than a year runs as a chain of executions), and whether
 * its last state ran. Absent, or of an older revision: segment 1 of the current revision, not
 * finished.
 */
export const TimerStandingSchema = z
  .object({
    revision: z.number().int().min(1),
    segment: z.number().int().min(1),
    /** The last Task ran and told whom it had to: nothing is left to wait for in this revision. */
    finished: z.boolean().optional(),
  })
  .strict();
export type TimerStanding = z.infer<typeof TimerStandingSchema>;

/** The segment of `revision`'s timer that runs (or ran last), and whether the timer finished. */
export function timerOf(obligation: Pick<Obligation, 'timer'>, revision: number): { segment: number; finished: boolean } {
  const timer = obligation.timer;
  return timer?.revision === revision ? { segment: timer.segment, finished: timer.finished === true } : { segment: 1, finished: false };
}

/**
 * What the quarterly report counts of an obligation (issue 19), kept on it by the same write that
 * records the act or the milestone (the store folds each write's events in: shared/reports/
 * compliance.ts `tallyWith`), so that the report reads the obligations through an index query
 * and never their audit trails. Per cycle: the due instant as last planned, the act that met the
 * duty and the act that ended or paused it before, each with its instant; and the entries the
 * measures in force are counted by (served, expired, renewed, breaches found, cancelled).
 * Absent on an obligation written before it was kept: the report then reads its audit trail.
 */
const DatedActSchema = z.strictObject({ act: ActSchema, at: z.number() });
export const TALLY_MARKS = ['opened', 'expired', 'renewed', 'violation-found', 'cancelled'] as const;
export const TallySchema = z.strictObject({
  cycles: z.array(z.strictObject({ cycle: z.number().int().min(1), dueAt: z.number().optional(), met: DatedActSchema.optional(), ended: DatedActSchema.optional() })),
  marks: z.array(z.strictObject({ type: z.enum(TALLY_MARKS), at: z.number() })),
});
export type Tally = z.infer<typeof TallySchema>;

export const ObligationSchema = z.object({
  id: ObligationIdSchema,
  rule: z.string(),
  ruleVersion: z.number().int(),
  variant: z.string().optional(),
  caseRef: CaseReferenceSchema,
  org: OrganisationUnitSchema,
  issuedBy: OrganisationUnitSchema.optional(),
  assignee: WorkIdentitySchema.optional(),
  /** The obligation this one was opened with: an order's checks, a submission's measures. */
  parentId: ObligationIdSchema.optional(),
  /** A measure's or plan item's label. */
  label: ItemLabelSchema.optional(),
  /** A plan item's text, as the plan words it. */
  title: ItemTextSchema.optional(),
  start: z.number(),
  count: z.number().int().optional(),
  dueDate: LocalDateSchema.optional(),
  extendedTo: LocalDateSchema.optional(),
  until: LocalDateSchema.optional(),
  status: ObligationStatusSchema,
  /** A new plan (extension, corrected start, calendar change, next cycle) is a new revision. */
  revision: z.number().int().min(1),
  cycle: z.number().int().min(1),
  dueAt: z.number(),
  plan: PlanStoredSchema,
  createdAt: z.number(),
  createdBy: z.string(),
  updatedAt: z.number(),
  /** Optimistic lock: each write expects the version it read. */
  version: z.number().int().min(1),
  closedAt: z.number().optional(),
  closedBy: ActSchema.optional(),
  /** The last day the acting body asked for, awaiting the issuer's answer. */
  requestedDueDate: LocalDateSchema.optional(),
  /** An order served again: the order it renews, and the one that renewed it. */
  renewedFrom: ObligationIdSchema.optional(),
  renewedBy: ObligationIdSchema.optional(),
  /** Breaches found at checks (violation-found). */
  violations: z.number().int().min(1).optional(),
  timer: TimerStandingSchema.optional(),
  /** What the quarterly report counts (issue 19). */
  tally: TallySchema.optional(),
})
  // Nothing beside these fields is kept (LEGAL.md §5): the store writes and reads through it.
  .strict();
export type Obligation = z.infer<typeof ObligationSchema>;

/** What Merzim itself records in the audit trail, besides people's acts. */
export const SYSTEM_EVENTS = [
  'opened',
  'reminded',
  'marked-overdue',
  'expired',
  'escalated',
  'replanned',
  'cycle-opened',
  'restarted',
  'notice-bounced',
  /** A milestone's notice did not go: its timer reached it late (functions/app/late.ts). */
  'milestone-skipped',
] as const;
export const EventTypeSchema = z.union([ActSchema, z.enum(SYSTEM_EVENTS)]);
export type EventType = Act | (typeof SYSTEM_EVENTS)[number];

const EventDetailTextSchema = z
  .string()
  .max(200)
  .refine((text) => !holdsForbiddenCharacter(text), 'a detail must hold plain characters')
  .superRefine(refusePersonalData('a detail'));

export const ObligationEventSchema = z.object({
  obligationId: ObligationIdSchema,
  /** Orders events recorded at the same instant. */
  seq: z.number().int().min(0),
  type: EventTypeSchema,
  /** When it happened (an act's own time may be before it was recorded). */
  at: z.number(),
  recordedAt: z.number(),
  /** A work identity, or `merzim` for what the system did. */
  by: z.string(),
  revision: z.number().int(),
  cycle: z.number().int(),
  reason: RemarkSchema.optional(),
  note: RemarkSchema.optional(),
  /** What Merzim adds of its own (the new due instant, the milestone, the notified roles): short codes and instants. */
  details: z.record(z.string().regex(/^[A-Za-z]{1,40}$/, 'a detail is named by a word'), z.union([EventDetailTextSchema, z.number(), z.boolean()])).optional(),
})
  .strict();
export type ObligationEvent = z.infer<typeof ObligationEventSchema>;

/** An obligation's audit entry: its revision and cycle as they are, what happened, when, who, in which order. */
export function auditEntry(
  obligation: Pick<Obligation, 'id' | 'revision' | 'cycle'>,
  type: EventType,
  fields: { at: number; recordedAt: number; by: string; seq: number } & Partial<Pick<ObligationEvent, 'reason' | 'note' | 'details'>>,
): ObligationEvent {
  return { obligationId: obligation.id, type, revision: obligation.revision, cycle: obligation.cycle, ...fields };
}
