import * as z from 'zod';
import { ActSchema, LegalSourceSchema, RoleSchema, formatInstant } from '../../shared/base/index.ts';
import { type Deadline, type Obligation, type ObligationEvent, ObligationEventSchema, ObligationSchema, deadlineOf, overdueGroundsOf, statusAt } from '../../shared/model/index.ts';
import { planView } from '../../shared/i18n/index.ts';
import { type Explanation, findRule } from '../../shared/rules/index.ts';
import { type ListedObligation, ListedObligationSchema, type NoticeRecord, NoticeRecordSchema } from '../adapters/store/index.ts';

/**
 * The one shape every route shows an obligation, its events and its notices in: every stored
 * field, instants as RFC 3339 at +05:00. The zod schemas here describe the views for the
 * OpenAPI document; each view function returns its schema's type, and the API tests check every
 * answer against the document (test/api/support.ts).
 */

export const ShownInstantSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:00$/)
  .meta({ description: 'An instant in RFC 3339 at +05:00 (Kazakhstan time), e.g. 2026-03-27T18:30:00+05:00', format: 'date-time' });

export const TextsSchema = z.object({ kk: z.string(), ru: z.string(), en: z.string() });
export const OverdueGroundsSchema = z.object({ names: TextsSchema, source: LegalSourceSchema });

export const PlanViewSchema = z.object({
  rule: z.string(),
  ruleVersion: z.number().int(),
  variant: z.string().optional(),
  calendarVersion: z.string(),
  start: ShownInstantSchema,
  dueDate: z.string(),
  movedFrom: z.string().optional().meta({ description: 'The counted last day, when it fell on a non-working day and moved' }),
  dueAt: ShownInstantSchema,
  provisional: z
    .literal(true)
    .optional()
    .meta({ description: 'The deadline rests on days past the published calendar, projected from the law: the year’s decree may still move it' }),
  projectedDays: z
    .array(
      z.object({
        date: z.string(),
        working: z.boolean(),
        why: z.string(),
        basis: z.enum(['law', 'computed', 'inferred']).meta({ description: 'computed and inferred are ⚠: a date the Government sets each year (Kurban Ait), or a holiday awaiting its law' }),
      }),
    )
    .optional()
    .meta({ description: 'The projected days the deadline rests on: those a working-day count crossed, the last day and the days it moved over' }),
  actor: RoleSchema,
  overdueGrounds: OverdueGroundsSchema.optional(),
  milestones: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['reminder', 'due', 'expiry', 'escalation']),
      at: ShownInstantSchema,
      notify: z.array(RoleSchema),
    }),
  ),
  nextCycle: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('after-act'), acts: z.array(ActSchema) }),
      z.object({ kind: z.literal('calendar'), startsAt: ShownInstantSchema }),
    ])
    .optional(),
  explanation: z
    .object({
      steps: z.array(
        z.object({
          kind: z
            .enum(['event', 'count-starts', 'hours-start', 'days-off-counted', 'skipped', 'weekends-skipped', 'last-day', 'moved', 'not-moved', 'ends'])
            .meta({ description: 'What the step is: the event, the first day counted, days off skipped, the last day, its move off a day off, the end' }),
          date: z.string().optional().meta({ description: 'The day the step is about (the first of a run of days)' }),
          text: TextsSchema.meta({ description: 'The step in words, in Kazakh, Russian and English' }),
          grounds: z.array(TextsSchema).meta({ description: 'The acts the step rests on, as cited; ⚠ where the source awaits confirmation' }),
        }),
      ),
    })
    .optional()
    .meta({
      description:
        'How the due date was counted, step by step, by the same count that made the plan: the due date is the last step\'s. Given for one obligation (GET /obligations/{id}) and in a preview; absent when the calendar has changed since the plan was made and re-planning has not yet run',
    }),
});

export const DeadlineViewSchema = z
  .object({
    lastDay: z.string().meta({ description: 'The last day, as the plan counted it (after a move off a day off)' }),
    movedFrom: z.string().optional().meta({ description: 'The counted last day, when it fell on a non-working day and moved' }),
    provisional: z.literal(true).optional().meta({ description: 'The deadline rests on days past the published calendar, projected from the law' }),
    expiry: z.literal(true).optional().meta({ description: 'The due instant is an expiry (a protective order lapses), not a duty' }),
    escalations: z
      .array(z.object({ at: ShownInstantSchema, notify: z.array(RoleSchema) }))
      .meta({ description: 'When the plan tells the heads of the obligation left undone, and whom' }),
  })
  .meta({ description: 'What a work list shows of the plan: the plan itself comes with the obligation (GET /obligations/{id})' });

// The report's tally is the store's, not a reader's (issue 19).
export const ListedObligationViewSchema = ListedObligationSchema.omit({ tally: true }).extend({
  start: ShownInstantSchema,
  dueAt: ShownInstantSchema,
  updatedAt: ShownInstantSchema,
  closedAt: ShownInstantSchema.optional(),
  deadline: DeadlineViewSchema,
  ruleName: TextsSchema,
  /** What the law makes of the missed deadline; shown while the obligation is overdue. */
  overdueGrounds: OverdueGroundsSchema.optional(),
});

export const ObligationViewSchema = ObligationSchema.omit({ tally: true }).extend({
  ...ListedObligationViewSchema.shape,
  createdAt: ShownInstantSchema,
  plan: PlanViewSchema,
});

export const EventViewSchema = ObligationEventSchema.extend({
  at: ShownInstantSchema,
  recordedAt: ShownInstantSchema,
  backdated: z.boolean().optional().meta({ description: 'An act recorded more than an hour after the time it is dated' }),
});

export const NoticeViewSchema = z
  .object({
    milestone: z.string(),
    recipient: z.string(),
    role: z.string(),
    // Every status the outbox writes (a `failed` notice is on the dead-letter list until a retry sends it).
    status: NoticeRecordSchema.shape.status,
    withdrawnBecause: z.enum(['closed', 'replanned']).optional(),
    sentAt: ShownInstantSchema.optional(),
  });

/**
 * An obligation as seen at `asOf` (now, for a person): an open one whose due instant has passed
 * shows as overdue, which the timer does not write where nobody is told of it.
 */
export function obligationView(obligation: Obligation, asOf: number, explanation?: Explanation): ObligationView {
  const { start, dueAt, createdAt, updatedAt, closedAt, plan, tally: _tally, ...rest } = obligation;
  const status = statusAt(obligation, asOf);
  return {
    ...rest,
    status,
    start: formatInstant(start),
    dueAt: formatInstant(dueAt),
    createdAt: formatInstant(createdAt),
    updatedAt: formatInstant(updatedAt),
    ...(closedAt === undefined ? {} : { closedAt: formatInstant(closedAt) }),
    deadline: deadlineView(deadlineOf(plan)),
    plan: planView(plan, explanation),
    ruleName: findRule(obligation.rule).names,
    ...(status === 'overdue' && plan.overdueGrounds !== undefined ? { overdueGrounds: plan.overdueGrounds } : {}),
  };
}

/**
 * An obligation as a work list and the case view show it, at `asOf`: what its card shows, the
 * fields of GET /obligations/{id} but the plan (its `deadline` instead) and what only that page
 * shows (who opened it, when, the version).
 */
export function listedView(obligation: ListedObligation, asOf: number): ListedObligationView {
  const { start, dueAt, updatedAt, closedAt, deadline, tally: _tally, ...rest } = obligation;
  const status = statusAt(obligation, asOf);
  const grounds = status === 'overdue' ? overdueGroundsOf(obligation) : undefined;
  return {
    ...rest,
    status,
    start: formatInstant(start),
    dueAt: formatInstant(dueAt),
    updatedAt: formatInstant(updatedAt),
    ...(closedAt === undefined ? {} : { closedAt: formatInstant(closedAt) }),
    deadline: deadlineView(deadline),
    ruleName: findRule(obligation.rule).names,
    ...(grounds === undefined ? {} : { overdueGrounds: grounds }),
  };
}

function deadlineView({ escalations, ...rest }: Deadline): ViewOf<typeof DeadlineViewSchema> {
  return { ...rest, escalations: escalations.map(({ at, notify }) => ({ at: formatInstant(at), notify })) };
}

/** A person's act recorded this long after the time it is dated is shown as backdated. */
export const BACKDATED_AFTER_MS = 3600_000;

export function eventView(event: ObligationEvent): ViewOf<typeof EventViewSchema> {
  const act = ActSchema.safeParse(event.type).success && event.type !== 'opened';
  return {
    ...event,
    at: formatInstant(event.at),
    recordedAt: formatInstant(event.recordedAt),
    ...(act && event.recordedAt - event.at > BACKDATED_AFTER_MS ? { backdated: true } : {}),
  };
}

/** A notice as the API shows it: no mailbox, no subject, no message id. */
export function noticeView(notice: NoticeRecord): ViewOf<typeof NoticeViewSchema> {
  return {
    milestone: notice.milestone,
    recipient: notice.recipient,
    role: notice.role,
    status: notice.status,
    ...(notice.withdrawnBecause === undefined ? {} : { withdrawnBecause: notice.withdrawnBecause }),
    ...(notice.sentAt === undefined ? {} : { sentAt: formatInstant(notice.sentAt) }),
  };
}

/**
 * What a view function returns: its schema's output, read-only all the way down (the model's
 * arrays are read-only). The views are typed by their schemas, so what the OpenAPI document says
 * is what the code must give.
 */
export type ViewOf<Schema extends z.ZodType> = Frozen<z.output<Schema>>;
type Frozen<T> = T extends readonly (infer Item)[] ? readonly Frozen<Item>[] : T extends object ? { readonly [Key in keyof T]: Frozen<T[Key]> } : T;

export type ObligationView = ViewOf<typeof ObligationViewSchema>;
export type ListedObligationView = ViewOf<typeof ListedObligationViewSchema>;

/** Events in the order they were recorded (the table's sort key order, made explicit). */
export function inRecordedOrder(events: readonly ObligationEvent[]): ObligationEvent[] {
  return [...events].sort((a, b) => a.recordedAt - b.recordedAt || a.seq - b.seq);
}
