import { type Rule, RuleSchema } from './rule.ts';
import { InputError } from '../model/errors.ts';

/**
 * The statutory catalog: one entry per timer of ../shared/domain/LEGAL.md §3, each with its
 * source. Read an entry as a row of a table: when the clock starts, how its period is counted,
 * who must act, who is reminded when, and who is told when it is missed.
 *
 * Defaults where the law is silent (marked so in `notes`): reminders at 09:00 local, on the
 * last day and a few working days before; escalation to the head at 09:00 on the working day
 * after the due date, repeated each working day.
 */

const seed001 = (lines: string): { file: string; lines: string } => ({ file: '001', lines });

const MORNING = '09:00';
const onLastDay = { unit: 'working-days', count: 0, at: MORNING } as const;
const workingDaysBefore = (count: number) => ({ unit: 'working-days', count, at: MORNING }) as const;
const nextWorkingMorning = { unit: 'working-days', count: 1, at: MORNING } as const;
const workingDaysAfter = (count: number) => ({ unit: 'working-days', count, at: MORNING }) as const;
const everyWorkingDay = { unit: 'working-days', count: 1, at: MORNING } as const;

const coaoArt479: NonNullable<Rule['overdueGrounds']> = {
  names: {
    kk: 'ӘҚБтК 479-бабы бойынша іс жүргізу үшін негіз (ұсыныс бойынша шаралар қабылдамау)',
    ru: 'Основание для производства по ст. 479 КоАП РК (непринятие мер по представлению)',
    en: 'Grounds for proceedings under CoAO art. 479 (no measures taken on a submission)',
  },
  source: {
    act: 'Code of the RK on Administrative Offences (CoAO)',
    provision:
      'art. 479: failure to take measures on a submission (art. 826(2)); proceedings opened by a police official (art. 804), decided by a specialised administrative court (art. 684)',
    seed: seed001('2122–2139'),
    confidence: 'official',
  },
};

const sssDecision: Rule = {
  id: 'sss-decision',
  version: 1,
  names: {
    kk: 'Арнаулы әлеуметтік көрсетілетін қызметтер ұсыну туралы шешім',
    ru: 'Решение о предоставлении специальных социальных услуг',
    en: 'Decision on special social services',
  },
  sources: [
    {
      act: 'Law of the RK No. 114-IV of 29.12.2008 "On special social services", as quoted by the social protectors\' manual',
      provision: 'the local executive body decides within three working days of receiving the social worker\'s conclusion',
      seed: seed001('1605–1614, 1632–1642'),
      confidence: 'official',
    },
    { act: 'Social Code of the RK No. 224-VII of 20.04.2023 (in force 01.07.2023)', confidence: 'secondary', note: 'replaced Law No. 114-IV; the three working days are kept' },
  ],
  validFrom: '2009-01-01',
  validTo: null,
  startEvent: 'conclusion-received',
  actor: 'akimat-department',
  closedBy: ['decided', 'refused'],
  counting: { period: { unit: 'working-days', count: 3 }, movesOffNonWorkingDays: true, endOfDay: 'close-of-business' },
  reminders: [{ notify: ['akimat-department'], before: onLastDay }],
  onDue: { kind: 'overdue', notify: [] },
  escalation: [
    { notify: ['akimat-department-head'], after: nextWorkingMorning, every: everyWorkingDay, times: 3 },
    { notify: ['deputy-akim'], after: workingDaysAfter(4), times: 1 },
  ],
  notes: [
    'The decision is the department\'s own act: the last day ends when its working hours end (18:30 by default).',
    'Reminder and escalation times are defaults: the law is silent on them.',
  ],
};

const protectiveOrder: Rule = {
  id: 'protective-order',
  version: 1,
  names: {
    kk: 'Қорғау нұсқамасының қолданылу мерзімі',
    ru: 'Срок действия защитного предписания',
    en: 'Protective order in force',
  },
  sources: [
    {
      act: 'Law of the RK No. 214-IV of 09.12.2009 "On prevention of domestic violence"',
      provision: 'art. 20: the order is valid for thirty 24-hour periods from the moment it is handed to the person',
      seed: seed001('2748–2758'),
      confidence: 'official',
    },
    { act: 'Law of the RK No. 245-VIII of 30.12.2025 "On prevention of offences" (from 02.03.2026)', provision: 'art. 60', confidence: 'secondary' },
  ],
  validFrom: '2010-01-01',
  validTo: null,
  startEvent: 'order-served',
  actor: 'inspector',
  closedBy: ['cancelled'],
  counting: { period: { unit: 'hours24', count: 30 }, movesOffNonWorkingDays: false, endOfDay: 'midnight' },
  reminders: [{ notify: ['inspector'], before: { unit: 'hours', count: 72 } }],
  onDue: { kind: 'expiry', notify: ['inspector'] },
  escalation: [],
  notes: ['30 тәулік run from the moment of service and are never moved for holidays.', 'Serving the order also opens the offender checks (offender-check).'],
};

const offenderCheck: Rule = {
  id: 'offender-check',
  version: 1,
  names: {
    kk: 'Профилактикалық есептегі құқық бұзушыны тексеру',
    ru: 'Проверка правонарушителя, состоящего на профилактическом учёте',
    en: 'Check of the offender on the preventive register',
  },
  sources: [
    {
      act: 'Law of the RK No. 214-IV of 09.12.2009 "On prevention of domestic violence"',
      provision: 'police check the conduct of the registered offender at least once every seven days',
      seed: seed001('2759–2761'),
      confidence: 'official',
    },
    { act: 'Law of the RK No. 245-VIII of 30.12.2025, arts. 59–60; MIA rules of the preventive register of 05.03.2026', confidence: 'secondary', note: 'the frequency may vary by register category' },
  ],
  validFrom: '2010-01-01',
  validTo: null,
  startEvent: 'registered',
  actor: 'inspector',
  closedBy: ['checked', 'deregistered'],
  counting: { period: { unit: 'days', count: 7 }, movesOffNonWorkingDays: false, endOfDay: 'midnight' },
  countSetPerCase: { min: 1, max: 31, required: false, setBy: { kk: 'есеп санаты', ru: 'категория учёта', en: 'the register category' } },
  reminders: [{ notify: ['inspector'], before: { unit: 'days', count: 0, at: MORNING } }],
  onDue: { kind: 'overdue', notify: [] },
  escalation: [{ notify: ['unit-head'], after: { unit: 'days', count: 1, at: MORNING }, every: { unit: 'days', count: 1, at: MORNING }, times: 3 }],
  recurrence: { kind: 'after-act', acts: ['checked'], until: ['deregistered'] },
  notes: [
    'Calendar days: police work every day, so the last day is not moved for holidays.',
    'Each check starts the next 7 days from the moment it was recorded.',
  ],
};

const officialWarning: Rule = {
  id: 'official-warning',
  version: 1,
  names: { kk: 'Ресми ескерту', ru: 'Официальное предостережение', en: 'Official warning' },
  sources: [{ act: 'Law of the RK No. 245-VIII of 30.12.2025 "On prevention of offences"', provision: 'art. 51', confidence: 'secondary', note: '30 days, checked twice a month' }],
  validFrom: '2026-03-02',
  validTo: null,
  startEvent: 'warning-issued',
  actor: 'inspector',
  closedBy: ['cancelled'],
  counting: { period: { unit: 'days', count: 30 }, movesOffNonWorkingDays: false, endOfDay: 'midnight' },
  reminders: [
    { notify: ['inspector'], before: { unit: 'days', count: 15, at: MORNING } },
    { notify: ['inspector'], before: { unit: 'days', count: 0, at: MORNING } },
  ],
  onDue: { kind: 'expiry', notify: ['inspector'] },
  escalation: [],
  notes: ['The two reminders are the twice-monthly checks.'],
};

const specialRequirements: Rule = {
  id: 'special-requirements',
  version: 1,
  names: {
    kk: 'Құқық бұзушының мінез-құлқына қойылатын ерекше талаптар',
    ru: 'Особые требования к поведению правонарушителя',
    en: "Special requirements on the offender's behaviour",
  },
  sources: [
    { act: 'Law of the RK No. 214-IV of 09.12.2009 "On prevention of domestic violence"', provision: 'art. 22', seed: seed001('1200–1203, 2349–2352'), confidence: 'official' },
    { act: 'CoAO', provision: 'art. 54 (imposed by the court, 3 months to 1 year); art. 669 (breach)', confidence: 'secondary', note: 'the offender reports to police 1–4 times a month as the court sets' },
  ],
  validFrom: '2010-01-01',
  validTo: null,
  startEvent: 'court-decision-effective',
  actor: 'inspector',
  closedBy: ['cancelled'],
  counting: { period: { unit: 'months', count: 3 }, movesOffNonWorkingDays: false, endOfDay: 'midnight' },
  countSetPerCase: { min: 3, max: 12, required: true, setBy: { kk: 'сот', ru: 'суд', en: 'the court' } },
  reminders: [{ notify: ['inspector'], before: { unit: 'days', count: 10, at: MORNING } }],
  onDue: { kind: 'expiry', notify: ['inspector'] },
  escalation: [],
  notes: ['The term is a measure in force, not a deadline to act: its end is not moved.'],
};

const kdnPlacementReply: Rule = {
  id: 'kdn-placement-reply',
  version: 1,
  names: {
    kk: 'Комиссияның кәмелетке толмағанды орналастыру туралы шешімі бойынша қабылданған шаралар туралы хабарлау',
    ru: 'Сообщение о принятых мерах по постановлению комиссии об устройстве несовершеннолетнего',
    en: "Report on measures taken under the commission's placement decision",
  },
  sources: [
    {
      act: 'Model regulation on commissions on minors\' affairs, Government decree of the RK No. 789 of 11.06.2001',
      provision: 'bodies that receive the decision report the measures taken within two weeks',
      seed: seed001('2009–2019'),
      confidence: 'official',
    },
  ],
  validFrom: '2001-06-11',
  validTo: null,
  startEvent: 'decision-received',
  actor: 'addressee',
  closedBy: ['replied'],
  counting: { period: { unit: 'weeks', count: 2 }, movesOffNonWorkingDays: true, endOfDay: 'midnight' },
  reminders: [
    { notify: ['addressee'], before: workingDaysBefore(2) },
    { notify: ['addressee'], before: onLastDay },
  ],
  onDue: { kind: 'overdue', notify: ['commission-secretary'] },
  escalation: [
    { notify: ['addressee-head', 'commission-secretary'], after: nextWorkingMorning, every: workingDaysAfter(2), times: 2 },
    { notify: ['commission-chair'], after: workingDaysAfter(5), times: 1 },
  ],
  notes: ['One obligation per body the decision is sent to; each has its own clock.', 'A report may be sent until 24:00 of the last day.'],
};

const submissionReply: Rule = {
  id: 'submission-reply',
  version: 1,
  names: {
    kk: 'Ұсынысты қарау және қабылданған шаралар туралы хабарлау',
    ru: 'Рассмотрение представления и сообщение о принятых мерах',
    en: 'Reply to a submission on measures taken',
  },
  sources: [
    { act: 'CoAO', provision: 'art. 826(2): the submission is considered and the measures reported within one month of receipt', seed: seed001('2070–2092'), confidence: 'official' },
  ],
  validFrom: '2015-01-01',
  validTo: null,
  startEvent: 'submission-received',
  actor: 'addressee',
  closedBy: ['replied'],
  counting: { period: { unit: 'months', count: 1 }, movesOffNonWorkingDays: true, endOfDay: 'midnight' },
  reminders: [
    { notify: ['addressee'], before: workingDaysBefore(5) },
    { notify: ['addressee'], before: onLastDay },
  ],
  onDue: { kind: 'overdue', notify: ['commission-secretary'] },
  escalation: [
    { notify: ['addressee-head', 'commission-secretary'], after: nextWorkingMorning, times: 1 },
    { notify: ['commission-chair'], after: workingDaysAfter(5), times: 1 },
  ],
  overdueGrounds: coaoArt479,
  notes: [
    'A submission may carry its own proposed deadlines for measures besides this reply.',
    'An overdue reply is grounds for proceedings under CoAO art. 479.',
  ],
};

const submissionMeasure: Rule = {
  id: 'submission-measure',
  version: 1,
  names: {
    kk: 'Ұсыныста ұсынылған шараның мерзімі',
    ru: 'Срок меры, предложенной в представлении',
    en: 'Measure proposed in a submission, by its own deadline',
  },
  sources: [
    {
      act: 'CoAO',
      provision: 'art. 826: a submission states, among its seven elements, the proposed deadlines for the measures',
      seed: seed001('2093–2120'),
      confidence: 'official',
    },
  ],
  validFrom: '2015-01-01',
  validTo: null,
  startEvent: 'submission-received',
  actor: 'addressee',
  closedBy: ['reported', 'replied'],
  counting: { period: { unit: 'set-date' }, movesOffNonWorkingDays: true, endOfDay: 'midnight' },
  reminders: [
    { notify: ['addressee'], before: workingDaysBefore(2) },
    { notify: ['addressee'], before: onLastDay },
  ],
  onDue: { kind: 'overdue', notify: ['commission-secretary'] },
  escalation: [{ notify: ['addressee-head', 'commission-secretary'], after: nextWorkingMorning, times: 1 }],
  notes: [
    'Opened with its submission (submission-reply), one per proposed measure; the one-month reply is a separate clock.',
    'The date is the submission\'s proposal; it moves off a non-working day like any last day.',
  ],
};

const unitQuarterlyReport: Rule = {
  id: 'unit-quarterly-report',
  version: 1,
  names: {
    kk: 'Бөліністер қызметінің нәтижелері туралы тоқсандық қызметтік жазба',
    ru: 'Ежеквартальная служебная записка о результатах деятельности подразделений',
    en: 'Quarterly report on the results of the units',
  },
  sources: [
    {
      act: 'Order of the Minister of Internal Affairs of the RK (2025) on the units against domestic violence',
      provision: 'item 9: district units report to the regional police department by the 5th of the month after the quarter; regions to the Administrative Police Committee by the 10th',
      seed: { file: '000', lines: '85–87' },
      confidence: 'official',
    },
  ],
  validFrom: '2025-01-01',
  validTo: null,
  startEvent: 'quarter-ended',
  actor: 'unit-head',
  closedBy: ['reported'],
  counting: { period: { unit: 'days', count: 5 }, movesOffNonWorkingDays: true, endOfDay: 'close-of-business' },
  reminders: [
    { notify: ['unit-head'], before: workingDaysBefore(2) },
    { notify: ['unit-head'], before: onLastDay },
  ],
  onDue: { kind: 'overdue', notify: [] },
  escalation: [{ notify: ['regional-head'], after: nextWorkingMorning, every: everyWorkingDay, times: 3 }],
  recurrence: { kind: 'calendar', every: 'quarter', until: [] },
  variants: {
    district: { names: { kk: 'Аудандық бөлініс → облыстық ПД', ru: 'Районное подразделение → ДП области', en: 'District unit → regional police department' } },
    region: {
      names: { kk: 'Облыстық ПД → ӘПК', ru: 'ДП области → КАП МВД', en: 'Regional police department → Administrative Police Committee' },
      counting: { period: { unit: 'days', count: 10 }, movesOffNonWorkingDays: true, endOfDay: 'close-of-business' },
      reminders: [
        { notify: ['regional-head'], before: workingDaysBefore(2) },
        { notify: ['regional-head'], before: onLastDay },
      ],
      escalation: [{ notify: ['committee-head'], after: nextWorkingMorning, every: everyWorkingDay, times: 3 }],
    },
  },
  defaultVariant: 'district',
  notes: ['The clock starts on the last day of the quarter.', 'The report is a service note inside the police: it is due by the end of working hours.'],
};

const actionPlanItem: Rule = {
  id: 'action-plan-item',
  version: 1,
  names: {
    kk: 'Ведомствоаралық іс-шаралар жоспарының тармағы бойынша ақпарат',
    ru: 'Информация по пункту межведомственного плана мероприятий',
    en: 'Report on an interagency action-plan item',
  },
  sources: [
    {
      act: 'Interagency joint action plan (West Kazakhstan region, 2020–2023) on preventing sexual abuse of minors',
      provision: 'each item names its deadline (monthly, quarterly, yearly by a date, a given month), the responsible bodies and the completion form',
      seed: { file: '002', lines: '1–61' },
      confidence: 'official',
    },
  ],
  validFrom: '2020-01-01',
  validTo: null,
  startEvent: 'period-started',
  actor: 'addressee',
  closedBy: ['reported'],
  counting: { period: { unit: 'period-end', of: 'month' }, movesOffNonWorkingDays: true, endOfDay: 'midnight' },
  reminders: [
    { notify: ['addressee'], before: workingDaysBefore(5) },
    { notify: ['addressee'], before: onLastDay },
  ],
  onDue: { kind: 'overdue', notify: [] },
  escalation: [{ notify: ['addressee-head'], after: nextWorkingMorning, times: 1 }],
  variants: {
    monthly: {
      names: { kk: 'ай сайын', ru: 'ежемесячно', en: 'monthly' },
      recurrence: { kind: 'calendar', every: 'month', until: ['cancelled'] },
    },
    quarterly: {
      names: { kk: 'тоқсан сайын', ru: 'ежеквартально', en: 'quarterly' },
      counting: { period: { unit: 'period-end', of: 'quarter' }, movesOffNonWorkingDays: true, endOfDay: 'midnight' },
      recurrence: { kind: 'calendar', every: 'quarter', until: ['cancelled'] },
    },
    yearly: {
      names: { kk: 'жыл сайын', ru: 'ежегодно', en: 'yearly' },
      counting: { period: { unit: 'period-end', of: 'year' }, movesOffNonWorkingDays: true, endOfDay: 'midnight' },
      recurrence: { kind: 'calendar', every: 'year', until: ['cancelled'] },
    },
    'by-date': {
      names: { kk: 'белгілі күнге дейін', ru: 'к установленной дате', en: 'by a set date' },
      counting: { period: { unit: 'set-date' }, movesOffNonWorkingDays: true, endOfDay: 'midnight' },
    },
  },
  defaultVariant: 'monthly',
  notes: ['"Every year by 25 August" is a by-date item opened for each year.', 'Information is sent to the coordinating body: until 24:00 of the last day.'],
};

const shelterAbsence: Rule = {
  id: 'shelter-absence',
  version: 1,
  names: {
    kk: 'Тұрғынның уақытша болу ұйымынан ескертусіз болмауы',
    ru: 'Отсутствие проживающего в организации временного пребывания без уведомления',
    en: 'Resident of a crisis centre away without notice',
  },
  sources: [
    {
      act: 'Draft standard of special social services in temporary-stay organisations (2015)',
      provision: 'item 68(3): away without notice for more than three 24-hour periods is a ground for discharge by the head\'s order; return after police detention or a hospital stay is an immediate re-admission',
      seed: { file: '004', lines: '154–168' },
      confidence: 'secondary',
      note: 'a draft standard, not law',
    },
  ],
  validFrom: '2015-01-01',
  validTo: null,
  startEvent: 'resident-left',
  actor: 'shelter-head',
  closedBy: ['resident-returned'],
  counting: { period: { unit: 'hours24', count: 3 }, movesOffNonWorkingDays: false, endOfDay: 'midnight' },
  reminders: [],
  onDue: { kind: 'overdue', notify: ['shelter-head'] },
  escalation: [],
  notes: ['Counted from the moment the resident left; never moved.'],
};

/** The catalog, checked against its schema when the module loads. */
export const catalog: readonly Rule[] = [
  sssDecision,
  protectiveOrder,
  offenderCheck,
  officialWarning,
  specialRequirements,
  kdnPlacementReply,
  submissionReply,
  submissionMeasure,
  unitQuarterlyReport,
  actionPlanItem,
  shelterAbsence,
].map((rule) => RuleSchema.parse(rule));

export class UnknownRuleError extends InputError {
  override readonly name = 'UnknownRuleError';
}

export function findRule(id: string): Rule {
  const rule = catalog.find((candidate) => candidate.id === id);
  if (rule === undefined) {
    throw new UnknownRuleError(`unknown rule "${id}" (known: ${catalog.map((known) => known.id).join(', ')})`, { field: 'rule' });
  }
  return rule;
}
