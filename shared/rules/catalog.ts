import type { Authority, Rule } from './rule.ts';
import { InputError, type LocalDate, type OrganisationKind, isValidOn } from '../base/index.ts';
import { notInForce } from './plan.ts';

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

/*
 * How the acts are cited in a mail: the official short names (КоАП РК / ҚР ӘҚБтК), a law by its
 * date, number and title as its Kazakh and Russian texts name it (seed 001's footnotes).
 */
const DV_LAW = {
  kk: 'ҚР 2009 жылғы 9 желтоқсандағы № 214-IV «Тұрмыстық зорлық-зомбылық профилактикасы туралы» Заңы',
  ru: 'Закон РК от 09.12.2009 № 214-IV «О профилактике бытового насилия»',
  en: 'Law of the RK No. 214-IV of 09.12.2009 "On prevention of domestic violence"',
} as const;
const OFFENCES_LAW = {
  kk: 'ҚР 2025 жылғы 30 желтоқсандағы № 245-VIII «Құқық бұзушылық профилактикасы туралы» Заңы',
  ru: 'Закон РК от 30.12.2025 № 245-VIII «О профилактике правонарушений»',
  en: 'Law of the RK No. 245-VIII of 30.12.2025 "On prevention of offences"',
} as const;
/** `ст. 20` / `20-бап` / `art. 20` after an act's citation. */
const article = (act: { kk: string; ru: string; en: string }, number: string, tail: { kk?: string; ru?: string; en?: string } = {}) => ({
  kk: `${act.kk}, ${number}-бап${tail.kk ?? ''}`,
  ru: `${act.ru}, ст. ${number}${tail.ru ?? ''}`,
  en: `${act.en}, art. ${number}${tail.en ?? ''}`,
});

const MORNING = '09:00';
const onLastDay = { unit: 'working-days', count: 0, at: MORNING } as const;
const workingDaysBefore = (count: number) => ({ unit: 'working-days', count, at: MORNING }) as const;
const nextWorkingMorning = { unit: 'working-days', count: 1, at: MORNING } as const;
const workingDaysAfter = (count: number) => ({ unit: 'working-days', count, at: MORNING }) as const;
const everyWorkingDay = { unit: 'working-days', count: 1, at: MORNING } as const;

/*
 * Authority: who opens each clock and who records each act (shared/base/roles.ts, PARTIES).
 * The law names the body that must act; it is silent on who may correct, cancel or hand over a
 * registered clock, so those are judgements (⚠), written down once here:
 * - a fixed statutory term (3 working days, 30 × 24 h, 3 × 24 h, 7 days) is never extended: a
 *   new term is a new obligation (an order renewed);
 * - a term the issuer set or carries (a commission's decision or submission, a plan item) may
 *   be extended by the issuer, on the addressee's request;
 * - a start is corrected by the acting unit's head or the administrator, with a reason, within
 *   30 days of opening, never on a closed obligation;
 * - a cancellation needs a reason, and the issuer, the acting unit's head or the administrator.
 */

/** The police units against domestic violence and the district inspectors. */
const POLICE_UNITS: OrganisationKind[] = ['police-unit'];
/**
 * ⚠ The bodies a commission sends its decisions and submissions to: education, police, health and
 * employment bodies (seed 001 L2009–2019), and any organisation a submission is addressed to
 * (CoAO art. 826). Not a region or district as such, and not another commission.
 */
const COMMISSION_ADDRESSEES: OrganisationKind[] = ['education', 'health', 'akimat', 'akimat-department', 'police-unit', 'police-department', 'crisis-centre', 'other'];

const OWN_CLOCK_NOTES = [
  '⚠ Corrections, cancellations and hand-overs go to the acting unit\'s head or the administrator: the law is silent, and whoever owes the act should not move its clock.',
  '⚠ An official takes an unassigned obligation of their own unit; only the head (or the administrator) gives it to someone else.',
];

/** The acts around a clock the acting body opens for itself. */
const ownClockActs = {
  'start-corrected': ['head', 'admin'],
  cancelled: ['head', 'admin'],
  reassigned: ['acting-body', 'head', 'admin'],
} as const satisfies Authority['acts'];

/** The acts around a clock a commission (or a plan's issuer) opens for the bodies it addresses. */
const issuersClockActs = {
  'extension-requested': ['acting-body'],
  extended: ['issuer', 'admin'],
  'extension-refused': ['issuer', 'admin'],
  'start-corrected': ['issuer', 'head', 'admin'],
  cancelled: ['issuer', 'head', 'admin'],
  reassigned: ['acting-body', 'head', 'admin'],
  transferred: ['issuer', 'admin'],
} as const satisfies Authority['acts'];

const ISSUERS_CLOCK_NOTES = [
  '⚠ The term is the issuer\'s: the addressee may only ask for more time (extension-requested, with a reason); the commission\'s secretary or chair grants it (extended) or refuses it.',
  '⚠ The commission registered the receipt, so its secretary may also correct the start; the addressee\'s head may too.',
  '⚠ A transfer hands the case to another commission (a minor\'s case passing to another district): the addressee\'s clock goes on.',
];

const coaoArt479: NonNullable<Rule['overdueGrounds']> = {
  names: {
    kk: 'Ұсыныс бойынша қабылданған шаралар туралы хабарламау — ҚР ӘҚБтК 479-бабы бойынша әкімшілік құқық бұзушылық туралы іс қозғауға негіз',
    ru: 'Несообщение о мерах, принятых по представлению, — основание для возбуждения дела по ст. 479 КоАП РК',
    en: 'Not reporting the measures taken on a submission is grounds for proceedings under CoAO art. 479',
  },
  source: {
    act: 'Code of the RK on Administrative Offences (CoAO)',
    provision:
      'art. 479: failure to take measures on a submission (art. 826(2)); proceedings opened by a police official (art. 804), decided by a specialised administrative court (art. 684)',
    seed: seed001('2122–2139'),
    confidence: 'official',
    cite: { kk: 'ҚР ӘҚБтК, 479-бап', ru: 'КоАП РК, ст. 479', en: 'CoAO, art. 479' },
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
      cite: {
        kk: 'ҚР 2008 жылғы 29 желтоқсандағы № 114-IV «Арнаулы әлеуметтік көрсетілетін қызметтер туралы» Заңы',
        ru: 'Закон РК от 29.12.2008 № 114-IV «О специальных социальных услугах»',
        en: 'Law of the RK No. 114-IV of 29.12.2008 "On special social services"',
      },
    },
    {
      act: 'Social Code of the RK No. 224-VII of 20.04.2023 (in force 01.07.2023)',
      confidence: 'secondary',
      note: 'replaced Law No. 114-IV; the three working days are kept',
      cite: {
        kk: 'ҚР 2023 жылғы 20 сәуірдегі № 224-VII Әлеуметтік кодексі',
        ru: 'Социальный кодекс РК от 20.04.2023 № 224-VII',
        en: 'Social Code of the RK No. 224-VII of 20.04.2023',
      },
    },
  ],
  validFrom: '2009-01-01',
  validTo: null,
  enactedBy: {
    act: 'Law of the RK No. 114-IV of 29.12.2008 "On special social services"',
    provision: 'in force from 01.01.2009',
    confidence: 'secondary',
  },
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
  authority: {
    opens: { by: ['acting-body', 'admin'], bodies: ['akimat-department'], startAhead: false },
    acts: { decided: ['acting-body'], refused: ['acting-body'], ...ownClockActs, transferred: ['head', 'admin'] },
    transfers: 'acting-body',
    notes: [...OWN_CLOCK_NOTES, '3 working days are fixed by law: nobody extends them.', '⚠ A conclusion sent to the wrong district is handed over to the right department (transferred): the clock, counted from receipt, goes on.'],
  },
  notes: [
    'The decision is the department\'s own act: the last day ends when its working hours end (18:30 by default).',
    'Reminder and escalation times are defaults: the law is silent on them.',
  ],
};

const protectiveOrder: Rule = {
  id: 'protective-order',
  version: 1,
  names: {
    kk: 'Қорғау нұсқамасы',
    ru: 'Защитное предписание',
    en: 'Protective order in force',
  },
  sources: [
    {
      act: 'Law of the RK No. 214-IV of 09.12.2009 "On prevention of domestic violence"',
      provision: 'art. 20: the order is valid for thirty 24-hour periods from the moment it is handed to the person',
      seed: seed001('2748–2758'),
      confidence: 'official',
      cite: article(DV_LAW, '20'),
    },
    {
      act: 'Law of the RK No. 245-VIII of 30.12.2025 "On prevention of offences" (from 02.03.2026)',
      provision: 'art. 60',
      confidence: 'secondary',
      cite: article(OFFENCES_LAW, '60', { kk: ' (2026 жылғы 2 наурыздан бастап)', ru: ' (с 02.03.2026)', en: ' (from 02.03.2026)' }),
    },
  ],
  validFrom: '2010-01-01',
  validTo: null,
  enactedBy: {
    act: 'Law of the RK No. 214-IV of 09.12.2009 "On prevention of domestic violence"',
    confidence: 'inferred',
    note: 'the day it took effect is in none of the seeds: 1 January 2010 is the catalog\'s date, after its publication in December 2009',
  },
  startEvent: 'order-served',
  actor: 'inspector',
  closedBy: ['cancelled'],
  counting: { period: { unit: 'hours24', count: 30 }, movesOffNonWorkingDays: false, endOfDay: 'midnight' },
  reminders: [
    {
      notify: ['inspector'],
      before: { unit: 'hours', count: 72 },
      urgent: {
        reason:
          'the 30 × 24 h run through days off and end at any hour (art. 20): held for the next working morning, a reminder given on a Friday afternoon would leave the inspector hours, or come after the order lapsed; the inspector must act (a new order, renewed) before it lapses',
      },
    },
  ],
  onDue: {
    kind: 'expiry',
    notify: ['inspector'],
    urgent: { reason: 'from the moment the order lapses the person is no longer protected by it (art. 20): the inspector decides at once whether to serve a new one' },
    follows: {
      kk: 'Тұрмыстық зорлық-зомбылық қаупі сақталса, қорғау нұсқамасы қайта шығарылуы мүмкін: жаңа нұсқаманы Merzim жүйесінде қайта шығарылған нұсқама ретінде тіркеңіз.',
      ru: 'Если угроза бытового насилия сохраняется, защитное предписание может быть вынесено повторно: отметьте новое предписание в Merzim как вынесенное повторно.',
      en: 'If the threat of domestic violence remains, the order may be served again: record the new order in Merzim as served again.',
    },
  },
  escalation: [],
  authority: {
    opens: { by: ['acting-body', 'admin'], bodies: POLICE_UNITS, startAhead: false },
    acts: { ...ownClockActs, 'violation-found': ['acting-body'], renewed: ['acting-body'], transferred: ['head', 'admin'] },
    transfers: 'acting-body',
    notes: [
      ...OWN_CLOCK_NOTES,
      '30 × 24 h are fixed by law: nobody extends them. An order served again (after it lapsed or was breached) is a new order (renewed), linked to the previous one.',
      '⚠ An order is cancelled (by the court or the prosecutor) only through the unit\'s head or the administrator, with the reason.',
    ],
  },
  companions: [{ rule: 'offender-check', per: 'opening', why: 'serving the order puts the offender on the preventive register: his weekly checks start with it' }],
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
      cite: DV_LAW,
    },
    {
      act: 'Law of the RK No. 245-VIII of 30.12.2025, arts. 59–60; MIA rules of the preventive register of 05.03.2026',
      confidence: 'secondary',
      note: 'the frequency may vary by register category',
      cite: {
        kk: `${OFFENCES_LAW.kk}, 59–60-баптар; ҚР ІІМ-нің 2026 жылғы 5 наурыздағы профилактикалық есепті жүргізу қағидалары`,
        ru: `${OFFENCES_LAW.ru}, ст. 59–60; Правила ведения профилактического учёта МВД РК от 05.03.2026`,
        en: `${OFFENCES_LAW.en}, arts. 59–60; MIA rules of the preventive register of 05.03.2026`,
      },
    },
  ],
  validFrom: '2010-01-01',
  validTo: null,
  enactedBy: {
    act: 'Law of the RK No. 214-IV of 09.12.2009 "On prevention of domestic violence"',
    confidence: 'inferred',
    note: 'the day it took effect is in none of the seeds: 1 January 2010 is the catalog\'s date, after its publication in December 2009',
  },
  startEvent: 'registered',
  actor: 'inspector',
  closedBy: ['checked', 'deregistered'],
  counting: { period: { unit: 'days', count: 7 }, movesOffNonWorkingDays: false, endOfDay: 'midnight' },
  countSetPerCase: { min: 1, max: 31, required: false, setBy: { kk: 'есеп санаты', ru: 'категория учёта', en: 'the register category' } },
  reminders: [{ notify: ['inspector'], before: { unit: 'days', count: 0, at: MORNING } }],
  onDue: { kind: 'overdue', notify: [] },
  escalation: [{ notify: ['unit-head'], after: { unit: 'days', count: 1, at: MORNING }, every: { unit: 'days', count: 1, at: MORNING }, times: 3 }],
  recurrence: { kind: 'after-act', acts: ['checked'], until: ['deregistered'] },
  authority: {
    opens: { by: ['acting-body', 'admin'], bodies: POLICE_UNITS, startAhead: false },
    acts: {
      checked: ['acting-body'],
      deregistered: ['acting-body', 'head'],
      ...ownClockActs,
      'violation-found': ['acting-body'],
      transferred: ['head', 'admin'],
      suspended: ['acting-body', 'head'],
      resumed: ['acting-body', 'head'],
    },
    transfers: 'acting-body',
    pause: {
      ground: {
        kk: 'құқық бұзушы күзетпен ұсталған, қамаққа алынған немесе стационарлық емде: оның тұрмыстағы мінез-құлқын тексеру мүмкін емес',
        ru: 'правонарушитель содержится под стражей, отбывает арест или находится на стационарном лечении: его поведение в быту проверить нельзя',
        en: 'the offender is held in custody, serves an arrest or is in inpatient care: his conduct at home cannot be checked',
      },
      source: {
        act: 'MIA rules of the preventive register of 05.03.2026',
        confidence: 'inferred',
        cite: {
          kk: 'ҚР ІІМ-нің 2026 жылғы 5 наурыздағы профилактикалық есепті жүргізу қағидалары',
          ru: 'Правила ведения профилактического учёта МВД РК от 05.03.2026',
          en: 'MIA rules of the preventive register of 05.03.2026',
        },
        note: 'not seen; a judgement: a check of conduct at home presumes the offender is at home. The pause ends with resumed, which starts a new 7-day count',
      },
    },
    notes: [
      ...OWN_CLOCK_NOTES,
      'The 7 days (or the register category\'s count) are fixed: nobody extends them.',
      '⚠ An offender who moves is handed over to the police unit of his new district (transferred): the count goes on.',
      '⚠ The unit\'s head may also take the offender off the register (deregistered).',
    ],
  },
  notes: [
    'Calendar days: police work every day, so the last day is not moved for holidays.',
    'Each check starts the next 7 days from the moment it was recorded.',
  ],
};

const officialWarning: Rule = {
  id: 'official-warning',
  version: 1,
  names: { kk: 'Ресми ескерту', ru: 'Официальное предостережение', en: 'Official warning' },
  sources: [
    {
      act: 'Law of the RK No. 245-VIII of 30.12.2025 "On prevention of offences"',
      provision: 'art. 51',
      confidence: 'secondary',
      note: '30 days, checked twice a month',
      cite: article(OFFENCES_LAW, '51'),
    },
  ],
  validFrom: '2026-03-02',
  validTo: null,
  enactedBy: {
    act: 'Law of the RK No. 245-VIII of 30.12.2025 "On prevention of offences"',
    provision: 'in force from 02.03.2026',
    confidence: 'secondary',
  },
  startEvent: 'warning-issued',
  actor: 'inspector',
  closedBy: ['cancelled'],
  counting: { period: { unit: 'days', count: 30 }, movesOffNonWorkingDays: false, endOfDay: 'midnight' },
  reminders: [
    { notify: ['inspector'], before: { unit: 'days', count: 15, at: MORNING } },
    { notify: ['inspector'], before: { unit: 'days', count: 0, at: MORNING } },
  ],
  onDue: {
    kind: 'expiry',
    notify: ['inspector'],
    follows: {
      kk: 'Ескертудің мерзімі ұзартылмайды: жаңа құқық бұзушылық болса, жаңа ресми ескерту жарияланады.',
      ru: 'Срок предостережения не продлевается: при новом правонарушении объявляется новое официальное предостережение.',
      en: 'The warning is not extended: a new offence calls for a new official warning.',
    },
  },
  escalation: [],
  authority: {
    opens: { by: ['acting-body', 'admin'], bodies: POLICE_UNITS, startAhead: false },
    acts: { ...ownClockActs, 'violation-found': ['acting-body'], transferred: ['head', 'admin'] },
    transfers: 'acting-body',
    notes: [...OWN_CLOCK_NOTES, 'The 30 days are set by law: nobody extends them.'],
  },
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
    {
      act: 'Law of the RK No. 214-IV of 09.12.2009 "On prevention of domestic violence"',
      provision: 'art. 22',
      seed: seed001('1200–1203, 2349–2352'),
      confidence: 'official',
      cite: article(DV_LAW, '22'),
    },
    {
      act: 'CoAO',
      provision: 'art. 54 (imposed by the court, 3 months to 1 year); art. 669 (breach)',
      confidence: 'secondary',
      note: 'the offender reports to police 1–4 times a month as the court sets',
      cite: { kk: 'ҚР ӘҚБтК, 54 және 669-баптар', ru: 'КоАП РК, ст. 54 и 669', en: 'CoAO, arts. 54 and 669' },
    },
  ],
  validFrom: '2010-01-01',
  validTo: null,
  enactedBy: {
    act: 'Law of the RK No. 214-IV of 09.12.2009 "On prevention of domestic violence"',
    confidence: 'inferred',
    note: 'the day it took effect is in none of the seeds: 1 January 2010 is the catalog\'s date, after its publication in December 2009',
  },
  startEvent: 'court-decision-effective',
  actor: 'inspector',
  closedBy: ['cancelled'],
  counting: { period: { unit: 'months', count: 3 }, movesOffNonWorkingDays: false, endOfDay: 'midnight' },
  countSetPerCase: { min: 3, max: 12, required: true, setBy: { kk: 'сот', ru: 'суд', en: 'the court' } },
  reminders: [{ notify: ['inspector'], before: { unit: 'days', count: 10, at: MORNING } }],
  onDue: {
    kind: 'expiry',
    notify: ['inspector'],
    follows: {
      kk: 'Ерекше талаптардың мерзімін соттың жаңа шешімі ғана өзгертеді: ол заңды күшіне енсе, оны Merzim жүйесінде жаңа мерзім ретінде тіркеңіз.',
      ru: 'Срок особых требований меняет только новое решение суда: когда оно вступит в силу, зарегистрируйте его в Merzim как новый срок.',
      en: 'Only a new court decision changes the term: once it takes effect, register it in Merzim as a new term.',
    },
  },
  escalation: [],
  authority: {
    opens: { by: ['acting-body', 'admin'], bodies: POLICE_UNITS, startAhead: false },
    acts: { ...ownClockActs, 'violation-found': ['acting-body'], transferred: ['head', 'admin'] },
    transfers: 'acting-body',
    notes: [...OWN_CLOCK_NOTES, 'The term is the court\'s: only a new court decision changes it, and that is a new obligation.'],
  },
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
      cite: {
        kk: 'ҚР Үкіметінің 2001 жылғы 11 маусымдағы № 789 қаулысымен бекітілген Кәмелетке толмағандардың істері және олардың құқықтарын қорғау жөніндегі комиссия туралы үлгі ереже',
        ru: 'Типовое положение о комиссии по делам несовершеннолетних и защите их прав, утверждённое постановлением Правительства РК от 11.06.2001 № 789',
        en: "Model regulation on commissions on minors' affairs, Government decree of the RK No. 789 of 11.06.2001",
      },
    },
  ],
  validFrom: '2001-06-11',
  validTo: null,
  enactedBy: {
    act: "Government decree of the RK No. 789 of 11.06.2001 approving the model regulation on commissions on minors' affairs",
    confidence: 'secondary',
    note: 'taken as in force on the day it was adopted',
  },
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
  authority: {
    opens: { by: ['issuer', 'admin'], bodies: COMMISSION_ADDRESSEES, issuers: ['commission'], startAhead: false },
    acts: { replied: ['acting-body', 'issuer'], ...issuersClockActs },
    transfers: 'issuer',
    notes: [...ISSUERS_CLOCK_NOTES, 'The commission may also record that the report arrived (replied).'],
  },
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
    {
      act: 'CoAO',
      provision: 'art. 826(2): the submission is considered and the measures reported within one month of receipt',
      seed: seed001('2070–2092'),
      confidence: 'official',
      cite: { kk: 'ҚР ӘҚБтК, 826-бап, 2-бөлік', ru: 'КоАП РК, ст. 826, ч. 2', en: 'CoAO, art. 826(2)' },
    },
  ],
  validFrom: '2015-01-01',
  validTo: null,
  enactedBy: {
    act: 'Code of the RK on Administrative Offences No. 235-V of 05.07.2014 (CoAO)',
    provision: 'in force from 01.01.2015',
    confidence: 'secondary',
  },
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
  authority: {
    opens: { by: ['issuer', 'admin'], bodies: COMMISSION_ADDRESSEES, issuers: ['commission'], startAhead: false },
    acts: { replied: ['acting-body', 'issuer'], ...issuersClockActs },
    transfers: 'issuer',
    notes: [
      ...ISSUERS_CLOCK_NOTES,
      '⚠ The month of CoAO art. 826(2) runs for the commission\'s submission: the commission, not the addressee, may give more time.',
      'The commission may also record that the reply arrived (replied).',
    ],
  },
  companions: [{ rule: 'submission-measure', per: 'measure', why: 'a submission states proposed deadlines for its measures (CoAO art. 826): each is a clock of its own' }],
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
      cite: { kk: 'ҚР ӘҚБтК, 826-бап', ru: 'КоАП РК, ст. 826', en: 'CoAO, art. 826' },
    },
  ],
  validFrom: '2015-01-01',
  validTo: null,
  enactedBy: {
    act: 'Code of the RK on Administrative Offences No. 235-V of 05.07.2014 (CoAO)',
    provision: 'in force from 01.01.2015',
    confidence: 'secondary',
  },
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
  authority: {
    opens: { by: ['issuer', 'admin'], bodies: COMMISSION_ADDRESSEES, issuers: ['commission'], startAhead: false },
    acts: { reported: ['acting-body', 'issuer'], replied: ['acting-body', 'issuer'], ...issuersClockActs },
    transfers: 'issuer',
    notes: [...ISSUERS_CLOCK_NOTES],
  },
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
      act: 'Order of the Minister of Internal Affairs of the RK No. 352 of 30.04.2025 on the units against domestic violence',
      provision: 'item 9 of the regulation it approves: district units report to the regional police department by the 5th of the month after the quarter; regions to the Administrative Police Committee by the 10th',
      seed: { file: '000', lines: '85–87' },
      confidence: 'official',
      cite: {
        kk: 'ҚР Ішкі істер министрінің 2025 жылғы 30 сәуірдегі № 352 бұйрығымен бекітілген Ереже, 9-тармақ',
        ru: 'Положение, утверждённое приказом Министра внутренних дел РК от 30.04.2025 № 352, п. 9',
        en: 'Regulation approved by Order of the Minister of Internal Affairs of the RK No. 352 of 30.04.2025, item 9',
      },
    },
  ],
  // Seed 000 L10, item 3 of the order: «Осы бұйрық қол қойылған күнінен бастап күшіне енеді» — in force from the day it is signed.
  validFrom: '2025-04-30',
  validTo: null,
  enactedBy: {
    act: 'Order of the Minister of Internal Affairs of the RK No. 352 of 30.04.2025',
    provision: 'item 3: «Осы бұйрық қол қойылған күнінен бастап күшіне енеді» (in force from the day it is signed, 30.04.2025)',
    seed: { file: '000', lines: '10' },
    confidence: 'official',
  },
  startEvent: 'quarter-ended',
  actor: 'unit-head',
  closedBy: ['reported'],
  // By the 5th of the month after the quarter (item 9, seed 000 L85), moved off a day off.
  counting: { period: { unit: 'day-after-period', of: 'quarter', day: 5 }, movesOffNonWorkingDays: true, endOfDay: 'close-of-business' },
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
      // By the 10th of the month after the quarter (item 9, seed 000 L87), moved off a day off.
      counting: { period: { unit: 'day-after-period', of: 'quarter', day: 10 }, movesOffNonWorkingDays: true, endOfDay: 'close-of-business' },
      reminders: [
        { notify: ['regional-head'], before: workingDaysBefore(2) },
        { notify: ['regional-head'], before: onLastDay },
      ],
      escalation: [{ notify: ['committee-head'], after: nextWorkingMorning, every: everyWorkingDay, times: 3 }],
    },
  },
  defaultVariant: 'district',
  authority: {
    opens: { by: ['system'], bodies: ['police-unit', 'police-department'], startAhead: true },
    acts: { reported: ['acting-body'], reassigned: ['acting-body', 'head', 'admin'], cancelled: ['admin'] },
    notes: [
      'Merzim opens the report of every police unit and department each quarter: nobody opens one by hand.',
      'The dates are set by the order: nobody extends them.',
      '⚠ The head signs the service note; any member of the unit may record that it was sent.',
      '⚠ Only the administrator cancels one (a unit dissolved), with the reason.',
    ],
  },
  notes: [
    'The last days, by the order (item 9): district unit → regional police department by 5 April (Q1), 5 July (Q2), 5 October (Q3), 5 January (Q4); regional department → Administrative Police Committee by 10 April, 10 July, 10 October, 10 January.',
    'A last day that is not a working day moves to the next working day (Civil Code; LEGAL.md §1.5).',
    'The report is for the quarter its start falls in; a start at 00:00 on a quarter\'s first day is the instant the quarter before ends, and reports on that one.',
    'Merzim opens each unit\'s report on the quarter\'s last day (00:00), and the next one a quarter later.',
    'No report is owed for a quarter that ended before 30 April 2025, when order No. 352 took effect.',
    'The report is a service note inside the police: it is due by the end of working hours.',
  ],
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
      provision: 'each item names its deadline (monthly, quarterly, yearly, by a date, in given months of each year, on a permanent basis), its years where they are not the plan\'s, the responsible bodies and the completion form',
      seed: { file: '002', lines: '1–61' },
      confidence: 'official',
      cite: {
        kk: 'Ведомствоаралық бірлескен іс-шаралар жоспары (оның тармағы мерзімді, жауапты органдарды және орындалу нысанын белгілейді)',
        ru: 'Межведомственный совместный план мероприятий (пункт плана устанавливает срок, ответственные органы и форму завершения)',
        en: 'Interagency joint action plan (each item sets its deadline, the responsible bodies and the completion form)',
      },
    },
  ],
  validFrom: '2020-01-01',
  validTo: null,
  enactedBy: {
    act: 'Interagency joint action plan (West Kazakhstan region, 2020–2023) on preventing sexual abuse of minors',
    provision: 'its title: a plan for 2020–2023',
    seed: { file: '002', lines: '5–6' },
    confidence: 'official',
  },
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
    // ⚠ The plan names no period for these items: see the notes below.
    permanent: {
      names: { kk: 'тұрақты негізде (ақпарат тоқсан сайын беріледі)', ru: 'на постоянной основе (информация представляется ежеквартально)', en: 'on a permanent basis (reported quarterly)' },
      counting: { period: { unit: 'period-end', of: 'quarter' }, movesOffNonWorkingDays: true, endOfDay: 'midnight' },
      recurrence: { kind: 'calendar', every: 'quarter', until: ['cancelled'] },
    },
    window: {
      names: { kk: 'жыл сайын жоспарда аталған айларда', ru: 'ежегодно в месяцы, указанные в плане', en: 'yearly, in the months the plan names' },
      counting: { period: { unit: 'month-ends', count: 1 }, movesOffNonWorkingDays: true, endOfDay: 'midnight' },
      countSetPerCase: { min: 1, max: 12, required: false, setBy: { kk: 'жоспарда аталған айлар', ru: 'месяцы, указанные в плане', en: 'the months the plan names' } },
      reminders: [
        { notify: ['addressee'], before: { unit: 'period-opens', at: MORNING } },
        { notify: ['addressee'], before: workingDaysBefore(5) },
      ],
      recurrence: { kind: 'calendar', every: 'year', until: ['cancelled'] },
    },
  },
  defaultVariant: 'monthly',
  authority: {
    opens: { by: ['issuer', 'admin'], bodies: [...COMMISSION_ADDRESSEES, 'region', 'district', 'commission'], issuers: ['commission', 'akimat', 'region', 'district'], startAhead: true },
    acts: { reported: ['acting-body', 'issuer'], ...issuersClockActs },
    transfers: 'issuer',
    notes: [
      ...ISSUERS_CLOCK_NOTES,
      'A plan runs ahead: its periods and dates may start after the day it is loaded.',
      'An interagency plan also makes the commissions on minors\' affairs report on its items (seed 002, item 7).',
    ],
  },
  notes: [
    '"Every year by 25 August" is a by-date item opened for each year.',
    'Information is sent to the coordinating body: until 24:00 of the last day.',
    '⚠ "On a permanent basis" (тұрақты негізде, үнемі: seed 002, lines 26, 45–48, 53–59) names no period to report by. Such an item is carried as a recurring one reported each quarter (variant permanent), as the plan\'s own "тоқсан сайын" items are: the plan names no period, so the quarter is a judgement, not the plan\'s word.',
    'A window of months ("қыркүйек–қазан", seed 002, lines 28–38) runs each year from the first day of its first month to the last day of its last (variant window, the months as its count); the addressee is reminded on the first working day of the window and 5 working days before it ends.',
    'An item with years of its own ("2020–2022 жж.", seed 002, lines 24–27) runs only in those years of the plan.',
  ],
};

const shelterAbsence: Rule = {
  id: 'shelter-absence',
  version: 1,
  names: {
    kk: 'Тұрушының уақытша болу ұйымынан ескертусіз болмауы',
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
      cite: {
        kk: 'Уақытша болу ұйымдарында арнаулы әлеуметтік қызметтер көрсету стандартының жобасы (2015), 68-тармақтың 3) тармақшасы',
        ru: 'Проект стандарта оказания специальных социальных услуг в организациях временного пребывания (2015), подп. 3 п. 68',
        en: 'Draft standard of special social services in temporary-stay organisations (2015), item 68(3)',
      },
    },
  ],
  validFrom: '2015-01-01',
  validTo: null,
  enactedBy: {
    act: 'Draft standard of special social services in temporary-stay organisations (2015)',
    confidence: 'secondary',
    note: 'a draft standard, not law: taken as applying from 2015',
  },
  startEvent: 'resident-left',
  actor: 'shelter-head',
  closedBy: ['resident-returned'],
  counting: { period: { unit: 'hours24', count: 3 }, movesOffNonWorkingDays: false, endOfDay: 'midnight' },
  reminders: [],
  onDue: {
    kind: 'overdue',
    notify: ['shelter-head'],
    urgent: {
      reason:
        'the 3 × 24 h end at any hour, days off included, and a crisis centre works round the clock: from that moment the head decides by order on discharge, or on re-admission at once if the resident was detained or in hospital (item 68(3)); a resident away may be in danger',
    },
  },
  escalation: [],
  authority: {
    opens: { by: ['acting-body', 'admin'], bodies: ['crisis-centre'], startAhead: false },
    acts: { 'resident-returned': ['acting-body'], ...ownClockActs },
    notes: [...OWN_CLOCK_NOTES, '3 × 24 h are fixed: nobody extends them.'],
  },
  notes: ['Counted from the moment the resident left; never moved.'],
};

/**
 * The catalog. Typed as `Rule` here, and checked against RuleSchema (its refinements too) by
 * test/rules/catalog.test.ts, not when the module loads: that check cost every cold start.
 */
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
];

/**
 * Earlier versions of the catalog's rules, each with the days it applied (`validTo` set): an
 * obligation whose clock started then is planned by them. None yet: when a law changes a rule,
 * its old entry moves here with `validTo`, and the new one in `catalog` gets the next `version`.
 */
const superseded: readonly Rule[] = [];

/** Every version of every rule. */
export const ruleVersions: readonly Rule[] = [...catalog, ...superseded];

/**
 * The version of a rule in force on the day a clock starts (LEGAL.md: a deadline follows the rule
 * version in force on that day). Before the first version, or after the last one ends, there is
 * none: refused naming the day and the act (field `start`).
 */
export function versionInForce(versions: readonly Rule[], id: string, date: LocalDate): Rule {
  const ofRule = versions.filter((rule) => rule.id === id).sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  const first = ofRule[0];
  if (first === undefined) return findRule(id);
  const inForce = ofRule.find((rule) => isValidOn(rule, date));
  if (inForce !== undefined) return inForce;
  if (date < first.validFrom) throw notInForce(first, date);
  const ended = ofRule.filter((rule) => rule.validTo !== null && rule.validTo < date).at(-1) ?? first;
  throw notInForce(ended, date, ofRule.find((rule) => rule.validFrom > date));
}

/** The catalog's version of a rule in force on `date`. */
export function ruleInForce(id: string, date: LocalDate): Rule {
  return versionInForce(ruleVersions, id, date);
}

export class UnknownRuleError extends InputError {
  override readonly name = 'UnknownRuleError';
}

/** A rule as the catalog has it now, or the `version` an obligation was opened under. */
export function findRule(id: string, version?: number): Rule {
  const rule = version === undefined ? catalog.find((candidate) => candidate.id === id) : ruleVersions.find((candidate) => candidate.id === id && candidate.version === version);
  if (rule === undefined) {
    throw new UnknownRuleError(`unknown rule "${id}" (known: ${catalog.map((known) => known.id).join(', ')})`, { field: 'rule' });
  }
  return rule;
}
