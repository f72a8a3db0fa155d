import type { Act, Instant, Texts } from '../base/index.ts';
import { type Obligation, type ObligationEvent, TALLY_MARKS, type Tally } from '../model/index.ts';
import { catalog } from '../rules/index.ts';
import { type Quarter, inQuarter, lastDayOf } from './quarter.ts';

/**
 * What counts as on time, late and missing for each rule of the catalog, and why: the table a
 * lawyer checks the quarterly report against (issue 19). Kept beside the catalog, keyed by rule
 * id, so that a rule's entry says how its clock runs and this says how its outcome is counted.
 *
 * Three ways of counting, after what the law makes of the rule's period:
 * - `deadline`: a term to act (decide, reply, report). Each cycle's last day falls in one quarter;
 *   the act that closes it is on time when dated by the due instant, late when after it; missing
 *   when none is recorded and the due instant has passed. A term the issuer extended is measured
 *   against the extended day (the issuer's own power, catalog ISSUERS_CLOCK_NOTES). A cycle
 *   cancelled, with its reason, owes nothing and is not counted.
 * - `cycles`: a check that must come at least every N days (offender-check). The same per cycle,
 *   with a check as the closing act; a cycle paused (suspended) or ended (deregistered, cancelled)
 *   before it fell due owes no check.
 * - `in-force`: a measure that runs for its period and expires (protective order, official
 *   warning, special requirements). Nothing is late: the report counts what happened in the
 *   quarter, by the date it happened: served, expired, served again, breaches found, cancelled.
 *
 * Figures are as of the moment the report is made: a reply still awaited is missing today and
 * late once it comes. Units are counted where the obligation is now (a case handed over counts
 * to the unit that took it).
 */

export type Counting = 'deadline' | 'cycles' | 'in-force';

export const DEADLINE_FIGURES = ['due', 'onTime', 'late', 'missing', 'pending'] as const;
export const CYCLE_FIGURES = ['due', 'onTime', 'late', 'missed', 'pending', 'breaches'] as const;
export const IN_FORCE_FIGURES = ['served', 'expired', 'renewed', 'breached', 'cancelled'] as const;
export type Figure = (typeof DEADLINE_FIGURES)[number] | (typeof CYCLE_FIGURES)[number] | (typeof IN_FORCE_FIGURES)[number];

export const FIGURES: Record<Counting, readonly Figure[]> = { deadline: DEADLINE_FIGURES, cycles: CYCLE_FIGURES, 'in-force': IN_FORCE_FIGURES };

export interface Compliance {
  readonly counting: Counting;
  /** The acts that meet the duty (deadline, cycles). */
  readonly meets?: readonly Act[];
  /** What each figure means for this rule, where it says more than the general name. */
  readonly means?: Partial<Record<Figure, Texts>>;
  /** Why: the law, and where a judgement was made (⚠). */
  readonly why: readonly string[];
}

const SEED_000 = 'seed 000, item 9 (lines 85–107): the quarterly service note covers the results of the units against domestic violence';

export const COMPLIANCE: Readonly<Record<string, Compliance>> = {
  'sss-decision': {
    counting: 'deadline',
    meets: ['decided', 'refused'],
    means: {
      onTime: { kk: '3 жұмыс күні ішінде шешім қабылданды', ru: 'Решение принято в течение 3 рабочих дней', en: 'Decided within 3 working days' },
      late: { kk: 'Шешім мерзімінен кеш қабылданды', ru: 'Решение принято с опозданием', en: 'Decided late' },
    },
    why: [
      'LEGAL.md §3, sss-decision; seed 001 L1605–1614, L1632–1642: the department decides within three working days of receiving the conclusion, to grant or to refuse in writing with reasons.',
      'A refusal in writing is a decision made: refused meets the term as decided does.',
      'On time: the act dated by the end of working hours of the third working day (catalog: close-of-business).',
    ],
  },
  'protective-order': {
    counting: 'in-force',
    means: {
      served: { kk: 'Қорғау нұсқамасы тапсырылды', ru: 'Вручено защитных предписаний', en: 'Orders served' },
      expired: { kk: '30 тәуліктің өтуімен аяқталды', ru: 'Истекло (30 суток)', en: 'Expired after 30 × 24 h' },
      renewed: { kk: 'Қайта шығарылды', ru: 'Вынесено повторно', en: 'Served again' },
      breached: { kk: 'Бұзушылық анықталды', ru: 'Выявлено нарушений', en: 'Breaches found' },
    },
    why: [
      'LEGAL.md §3, protective-order; seed 001 L2748–2758 (DV Law art. 20): the order is valid thirty 24-hour periods from its service; Law 245-VIII art. 60 from 02.03.2026.',
      'Served: orders whose service falls in the quarter (the opened entry of the audit trail, at the moment of service), renewals included.',
      'Expired: the expired entry the timer writes at the end of the 30 × 24 h, in the quarter.',
      'Renewed: an order served again (act renewed) in the quarter; the new order is also counted as served.',
      'Breached: each breach found (act violation-found) in the quarter.',
      'Nothing is late: the term is fixed by law and runs by itself (catalog: nobody extends it).',
    ],
  },
  'offender-check': {
    counting: 'cycles',
    meets: ['checked'],
    means: {
      due: { kk: 'Тексеру мерзімі келді', ru: 'Проверок к сроку', en: 'Checks due' },
      onTime: { kk: 'Мерзімінде тексерілді', ru: 'Проверено в срок', en: 'Checked on time' },
      late: { kk: 'Кешігіп тексерілді', ru: 'Проверено с опозданием', en: 'Checked late' },
      missed: { kk: 'Тексерілмеді', ru: 'Не проверено', en: 'Missed' },
      breaches: { kk: 'Тексеру кезінде бұзушылық анықталды', ru: 'Нарушений выявлено при проверках', en: 'Breaches found at checks' },
    },
    why: [
      'LEGAL.md §3, offender-check; seed 001 L2759–2761: police check the registered offender\'s conduct at least once every seven days (or the register category\'s count).',
      'Each check starts the next count from the moment it was recorded (catalog: recurrence after-act): a cycle is one count, due at its end.',
      'On time: checked by the end of the cycle; late: checked after it (the next count then starts from the late check); missed: no check recorded and the cycle\'s end has passed, or the offender taken off the register after it.',
      '⚠ A check three weeks late counts as one late check, not as three missed ones: the law counts the seven days from the last check.',
      'A cycle paused on its legal ground (suspended: custody, arrest, inpatient care) or ended (deregistered, cancelled) before it fell due owes no check.',
    ],
  },
  'official-warning': {
    counting: 'in-force',
    means: { served: { kk: 'Ресми ескерту жасалды', ru: 'Объявлено предостережений', en: 'Warnings issued' } },
    why: ['LEGAL.md §3, official-warning; Law 245-VIII art. 51 ⚠: the warning runs 30 days and expires; it is not renewed (a new offence calls for a new warning).'],
  },
  'special-requirements': {
    counting: 'in-force',
    means: { served: { kk: 'Сот шешімі заңды күшіне енді', ru: 'Решений суда вступило в силу', en: 'Court decisions took effect' } },
    why: ['LEGAL.md §3, special-requirements; DV Law art. 22, CoAO arts. 54, 669: the court\'s term runs and ends; only a new court decision changes it; a breach (CoAO art. 669) is a breach found.'],
  },
  'kdn-placement-reply': {
    counting: 'deadline',
    meets: ['replied'],
    why: [
      'LEGAL.md §3, kdn-placement-reply; seed 001 L2009–2019 (Government decree No. 789, model regulation): each body that received the decision reports the measures within two weeks.',
      'On time: the report recorded (by the body or the commission) by 24:00 of the last day, or of the day the commission extended it to.',
    ],
  },
  'submission-reply': {
    counting: 'deadline',
    meets: ['replied'],
    means: { missing: { kk: 'Жауап жоқ (ӘҚБтК 479-бабы)', ru: 'Ответа нет (ст. 479 КоАП)', en: 'No reply (CoAO art. 479)' } },
    why: [
      'LEGAL.md §3, submission-reply; seed 001 L2070–2092: CoAO art. 826(2), the submission is considered and the measures reported within one month of receipt.',
      'Missing: no reply by the last day: grounds for proceedings under CoAO art. 479 (seed 001 L2122–2139); the art. 479 list names them.',
    ],
  },
  'submission-measure': {
    counting: 'deadline',
    meets: ['reported', 'replied'],
    why: ['LEGAL.md §3 notes; seed 001 L2093–2120, CoAO art. 826: a submission states the proposed deadlines of its measures; each measure is met when reported by its own date.'],
  },
  'unit-quarterly-report': {
    counting: 'deadline',
    meets: ['reported'],
    why: [`${SEED_000}; district units send it by the 5th of the next month, regions by the 10th, by the end of working hours.`, 'Each quarter is a cycle of the one obligation (catalog: recurrence by the calendar).'],
  },
  'action-plan-item': {
    counting: 'deadline',
    meets: ['reported'],
    why: ['Seed 002: each item of an interagency plan names its deadline; each period is a cycle, met when the information is reported by 24:00 of its last day.'],
  },
  'shelter-absence': {
    counting: 'deadline',
    meets: ['resident-returned'],
    means: {
      onTime: { kk: '3 тәулік ішінде оралды', ru: 'Вернулся в течение 3 суток', en: 'Returned within 3 × 24 h' },
      late: { kk: '3 тәуліктен кейін оралды', ru: 'Вернулся позже 3 суток', en: 'Returned after 3 × 24 h' },
      missing: { kk: 'Оралмады (шығаруға негіз)', ru: 'Не вернулся (основание для выбытия)', en: 'Not returned (ground for discharge)' },
    },
    why: ['LEGAL.md §3, shelter-absence; seed 004 L154–168 (a 2015 draft standard, not law): away without notice over three 24-hour periods is a ground for discharge by the head\'s order.'],
  },
};

/** Every rule of the catalog has its line: a rule added without one fails here when the module loads. */
for (const rule of catalog) {
  if (COMPLIANCE[rule.id] === undefined) throw new Error(`shared/reports/compliance.ts: no compliance line for rule ${rule.id}`);
}

export function complianceOf(ruleId: string): Compliance {
  const line = COMPLIANCE[ruleId];
  if (line === undefined) throw new RangeError(`no compliance line for rule ${ruleId}`);
  return line;
}

export type Figures = Partial<Record<Figure, number>>;

/** One cycle of an obligation as its audit trail tells it. */
export interface Cycle {
  readonly cycle: number;
  /** The cycle's due instant, as last planned (an extension moves it). */
  readonly dueAt: Instant;
  /** The act that met the duty, and when it is dated. */
  readonly met?: { readonly act: Act; readonly at: Instant };
  /** An act that ended or paused the duty before it was met: cancelled, deregistered, suspended. */
  readonly ended?: { readonly act: Act; readonly at: Instant };
}

const DUE_ENTRIES = new Set<string>(['opened', 'cycle-opened', 'replanned']);
const ENDING_ACTS = new Set<string>(['cancelled', 'deregistered', 'suspended']);
const MARKS = new Set<string>(TALLY_MARKS);

export const EMPTY_TALLY: Tally = { cycles: [], marks: [] };

/**
 * Folds entries of an obligation's audit trail into its tally, in the order they were recorded:
 * the tally kept on the obligation is the one its whole trail folds to, whether the entries come
 * one write at a time (the store, at each write) or all at once (an obligation written before the
 * tally was kept, read back from its trail).
 */
export function tallyWith(tally: Tally, rule: string, events: readonly ObligationEvent[]): Tally {
  const line = complianceOf(rule);
  const meets = new Set<string>(line.meets ?? []);
  const cycles = new Map(tally.cycles.map((entry) => [entry.cycle, { ...entry }]));
  const marks = [...tally.marks];
  const ordered = [...events].sort((a, b) => a.recordedAt - b.recordedAt || a.seq - b.seq);
  for (const event of ordered) {
    let entry = cycles.get(event.cycle);
    if (entry === undefined) cycles.set(event.cycle, (entry = { cycle: event.cycle }));
    const due = event.details?.['dueAt'];
    if (DUE_ENTRIES.has(event.type) && typeof due === 'string') entry.dueAt = Date.parse(due);
    if (meets.has(event.type) && entry.met === undefined) entry.met = { act: event.type as Act, at: event.at };
    else if (ENDING_ACTS.has(event.type) && entry.met === undefined && entry.ended === undefined) entry.ended = { act: event.type as Act, at: event.at };
    // Only what a figure counts: a deadline's figures are its cycles alone.
    const marked = line.counting === 'in-force' ? MARKS.has(event.type) : line.counting === 'cycles' && event.type === 'violation-found';
    if (marked) marks.push({ type: event.type as Tally['marks'][number]['type'], at: event.at });
  }
  return { cycles: [...cycles.values()].sort((a, b) => a.cycle - b.cycle), marks };
}

/** The tally of a whole audit trail (as of `asOf`: the entries recorded by then). */
export function tallyOf(rule: string, events: readonly ObligationEvent[], asOf = Number.POSITIVE_INFINITY): Tally {
  return tallyWith(EMPTY_TALLY, rule, events.filter((event) => event.recordedAt <= asOf));
}

/** The cycles of an obligation: each one's due instant and what ended it, from its tally. */
export function cyclesOf(obligation: Pick<Obligation, 'cycle' | 'dueAt'>, tally: Tally): Cycle[] {
  return tally.cycles
    .map((entry) => (entry.cycle === obligation.cycle ? { ...entry, dueAt: obligation.dueAt } : entry))
    .concat(tally.cycles.some((entry) => entry.cycle === obligation.cycle) ? [] : [{ cycle: obligation.cycle, dueAt: obligation.dueAt }])
    // The cycle running now is due when the obligation says: its plan is the latest.
    .filter((entry): entry is typeof entry & { dueAt: Instant } => entry.dueAt !== undefined)
    .sort((a, b) => a.cycle - b.cycle)
    .map(({ cycle, dueAt, met, ended }) => ({ cycle, dueAt, ...(met === undefined ? {} : { met }), ...(ended === undefined ? {} : { ended }) }));
}

/** What one cycle due in the quarter counts as, as of `asOf`; undefined when it is not counted. */
export function outcomeOf(cycle: Cycle, asOf: Instant): 'onTime' | 'late' | 'missing' | 'pending' | undefined {
  if (cycle.met !== undefined && (cycle.ended === undefined || cycle.met.at <= cycle.ended.at)) {
    if (cycle.met.at > asOf) return cycle.dueAt > asOf ? 'pending' : 'missing';
    return cycle.met.at <= cycle.dueAt ? 'onTime' : 'late';
  }
  // Ended or paused before it fell due: nothing was owed.
  if (cycle.ended !== undefined && cycle.ended.at < cycle.dueAt) return undefined;
  return cycle.dueAt > asOf ? 'pending' : 'missing';
}

/** The figures of one obligation for one quarter, as of `asOf`, from its tally. */
export function figuresFrom(obligation: Pick<Obligation, 'rule' | 'cycle' | 'dueAt'>, tally: Tally, quarter: Quarter, asOf: Instant): Figures {
  const line = complianceOf(obligation.rule);
  const figures: Record<string, number> = {};
  const add = (figure: Figure, count = 1) => {
    figures[figure] = (figures[figure] ?? 0) + count;
  };
  const seen = tally.marks.filter((mark) => inQuarter(quarter, mark.at));
  if (line.counting === 'in-force') {
    for (const mark of seen) {
      if (mark.type === 'opened') add('served');
      else if (mark.type === 'expired') add('expired');
      else if (mark.type === 'renewed') add('renewed');
      else if (mark.type === 'violation-found') add('breached');
      else add('cancelled');
    }
    return figures;
  }
  const inTheQuarter = (dueAt: Instant) => {
    const day = lastDayOf(dueAt);
    return day >= quarter.from && day <= quarter.to;
  };
  for (const cycle of cyclesOf(obligation, tally)) {
    if (!inTheQuarter(cycle.dueAt)) continue;
    const outcome = outcomeOf(cycle, asOf);
    if (outcome === undefined) continue;
    add('due');
    add(line.counting === 'cycles' && outcome === 'missing' ? 'missed' : outcome);
  }
  if (line.counting === 'cycles') for (const mark of seen) if (mark.type === 'violation-found') add('breaches');
  return figures;
}

/** The figures of one obligation for one quarter, as of `asOf`, from its audit trail. */
export function figuresOf(obligation: Pick<Obligation, 'rule' | 'cycle' | 'dueAt'>, events: readonly ObligationEvent[], quarter: Quarter, asOf: Instant): Figures {
  return figuresFrom(obligation, tallyOf(obligation.rule, events, asOf), quarter, asOf);
}

/** Sums figures. */
export function addFigures(into: Record<string, number>, figures: Figures): void {
  for (const [figure, count] of Object.entries(figures)) into[figure] = (into[figure] ?? 0) + (count ?? 0);
}
