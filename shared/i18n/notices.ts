import { type Instant, KINDS_OF_ROLE, type OrganisationKind, type Role, ROLES, type Texts, dayNumber, formatInstant, localDateOf } from '../base/index.ts';
import { type Milestone, type MilestoneKind, type Plan, type Rule, effectiveBody } from '../rules/index.ts';
import { itemTerm, windowOpened } from './plan-terms.ts';
import { MAIL_LABELS, dottedDate } from './labels.ts';
import { kazakhTime, russianDays } from './plural.ts';

/**
 * What one e-mail says, in Kazakh and Russian in one message: the kind of notice, the rule, the
 * case reference, the due time, its legal basis, who waits for the act, what to do and who is
 * told next. Never anything about the people in the case (LEGAL.md §5): the reference is the
 * owning body's case number, an item's text is the plan's or the submission's own wording.
 */
export interface Notice {
  readonly subject: string;
  readonly text: string;
}

/** The languages a mail is written in, Kazakh first. */
export type MailLanguage = 'kk' | 'ru';

/** A unit as a notice names it: its Kazakh and Russian names and its kind, or only its code when the directory has none. */
export interface NoticeUnit {
  readonly names: Readonly<Record<MailLanguage, string>> | string;
  readonly kind?: OrganisationKind;
}

/** Whom an addressee without a sign-in replies to: the issuer's secretary (or other issuer's officials) and their work mailbox. */
export interface NoticeContact {
  readonly role: Role;
  readonly email: string;
}

export interface NoticeInput {
  readonly rule: Rule;
  readonly plan: Plan;
  readonly milestone: Milestone;
  /** The owning body's case reference. */
  readonly reference: string;
  /** The unit that must act. */
  readonly organisation: NoticeUnit;
  /** The body waiting for the act: the commission whose decision or submission it is, a plan's coordinating body. */
  readonly issuer?: NoticeUnit;
  readonly recipient: Role;
  /**
   * Whether the recipient signs in to Merzim. One who does not (a school's office, a hospital's
   * chief doctor) is told whom to reply to, not asked to record anything, and gets no link.
   */
  readonly signsIn: boolean;
  /** Where such a recipient replies: the issuer's secretary. Empty when the directory names nobody there. */
  readonly replyTo?: readonly NoticeContact[];
  /** A measure's or plan item's label (`8.2`) and the item's own text. */
  readonly item?: { readonly label?: string; readonly text?: string };
  /** The obligation on the dashboard; no link when the dashboard's address is not configured. */
  readonly link?: string;
  /** A quarterly report's obligation: the unit's figures of the quarter on the dashboard (issue 19). */
  readonly report?: string;
  /** When the notice goes: an escalation says how long the deadline is overdue by then. */
  readonly toldAt?: Instant;
  /** How many earlier notices of a late timer this one replaces (functions/app/late.ts). */
  readonly replaces?: number;
  /** How many earlier notices of this deadline the same morning mail folds into this one (functions/app/morning.ts). */
  readonly folded?: number;
}

const headline: Record<MilestoneKind, Texts> = {
  reminder: { kk: 'Еске салу', ru: 'Напоминание', en: 'Reminder' },
  due: { kk: 'Мерзімі өтті', ru: 'Срок истёк', en: 'Deadline passed' },
  expiry: { kk: 'Қолданылу мерзімі аяқталды', ru: 'Срок действия истёк', en: 'Expired' },
  escalation: MAIL_LABELS.overdue,
};

const labels = {
  ...MAIL_LABELS,
  validUntil: { kk: 'Қолданылу мерзімі', ru: 'Действует до', en: 'In force until' },
  item: { kk: 'Тармақ', ru: 'Пункт', en: 'Item' },
  issuer: { kk: 'Жауап күтетін орган', ru: 'Орган, ожидающий ответа', en: 'Waiting for the reply' },
  term: { kk: 'Жоспар бойынша орындау мерзімі', ru: 'Срок исполнения по плану', en: 'Term in the plan' },
  // The quarterly report (issue 19)
  report: { kk: 'Тоқсандағы көрсеткіштер (есепке)', ru: 'Показатели за квартал (для отчёта)', en: 'The quarter\'s figures (for the report)' },
} as const satisfies Record<string, Texts>;

/**
 * The word for the unit that must act, by its kind: a police unit is a «подразделение», a school,
 * a hospital or a crisis centre an «организация», an akimat's department or a commission an «орган».
 */
const UNIT_WORDS: Record<'police' | 'organisation' | 'body', Texts> = {
  police: { kk: 'Бөлініс', ru: 'Подразделение', en: 'Unit' },
  organisation: { kk: 'Ұйым', ru: 'Организация', en: 'Organisation' },
  body: { kk: 'Орган', ru: 'Орган', en: 'Body' },
};

export function unitWord(kind: OrganisationKind | undefined): Texts {
  switch (kind) {
    case 'police-unit':
    case 'police-department':
    case 'police-committee':
      return UNIT_WORDS.police;
    case 'education':
    case 'health':
    case 'crisis-centre':
    case 'other':
      return UNIT_WORDS.organisation;
    default:
      return UNIT_WORDS.body;
  }
}

function unitName(unit: NoticeUnit, language: MailLanguage): string {
  return typeof unit.names === 'string' ? unit.names : unit.names[language];
}

/** `27.03.2026, 18:30`; a deadline at local midnight is the end of the day before: `02.03.2026, 24:00`. */
export function localTimeText(instant: Instant, endOfDay: boolean): string {
  const shifted = endOfDay && formatInstant(instant).slice(11, 16) === '00:00' ? instant - 1 : instant;
  const text = formatInstant(shifted);
  const time = shifted === instant ? text.slice(11, 16) : '24:00';
  return `${dottedDate(text)}, ${time}`;
}

/** A time before «дейін», in the dative: `10.03.2026, 09:00-ге дейін`. */
export function kazakhUntil(text: string): string {
  return `${kazakhTime(text, 'dative')} дейін`;
}

const replacedText: Readonly<Record<MailLanguage, string>> = {
  kk: 'Бұл мерзім бойынша бұрынғы хабарламалар уақытында жіберілмеді: олардың орнына осы бір хабарлама жіберіліп отыр.',
  ru: 'Прежние уведомления по этому сроку не были разосланы вовремя: вместо них направляется это одно.',
};

/** A morning mail tells a deadline once, where it stands now: the notices that fell for it since the last one are folded in. */
const foldedText: Readonly<Record<MailLanguage, string>> = {
  kk: 'Өткен таңғы хабарламадан бері осы мерзім бойынша бірнеше хабарлама жиналды: мұнда ең соңғысы берілген.',
  ru: 'С прошлой утренней рассылки по этому сроку накопилось несколько уведомлений: здесь приведено последнее.',
};

/** Whole calendar days from the last day to the day of the milestone: an escalation on the morning after is 1 day overdue. */
export function daysOverdue(plan: Pick<Plan, 'dueDate'>, at: Instant): number {
  return Math.max(1, dayNumber(localDateOf(at)) - dayNumber(plan.dueDate));
}

/** The rule's sources as an official cites them in one language: `КоАП РК, ст. 826, ч. 2`. */
export function legalBasis(rule: Pick<Rule, 'sources'>, language: MailLanguage | 'en'): string {
  return rule.sources.map((source) => source.cite[language]).join('; ');
}

const lower = (text: string): string => text.charAt(0).toLocaleLowerCase('ru') + text.slice(1);

/** The milestone after this one at which someone is told the act is missing: its time and its roles. */
export function nextNotice(plan: Plan, milestone: Milestone): Milestone | undefined {
  return plan.milestones.find(
    (candidate) => candidate.at > milestone.at && (candidate.kind === 'due' || candidate.kind === 'escalation') && candidate.notify.length > 0,
  );
}

/** What the recipient is asked to do, or told, at this milestone. */
function whatToDo(input: NoticeInput, language: MailLanguage): string[] {
  const { rule, plan, milestone, recipient, signsIn } = input;
  const due = localTimeText(plan.dueAt, true);
  const onDue = effectiveBody(rule, plan.variant).onDue;
  if (onDue.kind === 'expiry') {
    const follows = onDue.follows;
    if (milestone.kind === 'expiry') {
      return [
        language === 'kk' ? `Қолданылу мерзімі ${due} аяқталды: шара енді қолданылмайды.` : `Срок действия истёк ${due}: мера больше не действует.`,
        ...(follows === undefined ? [] : [follows[language]]),
      ];
    }
    return [
      language === 'kk' ? `Қолданылу мерзімі ${due} аяқталады.` : `Срок действия истекает ${due}.`,
      ...(follows === undefined ? [] : [follows[language]]),
    ];
  }
  const lines: string[] = [];
  if (opensWindow(input)) lines.push(windowOpened(periodOf(plan))[language]);
  if (milestone.kind === 'due') {
    lines.push(language === 'kk' ? `Мерзімі ${due} өтті, әрекет Merzim жүйесінде белгіленбеген.` : `Срок истёк ${due}, исполнение в Merzim не отмечено.`);
  } else if (milestone.kind === 'escalation') {
    // A late timer's escalation goes after its milestone: it counts the days to when it is sent.
    const days = daysOverdue(plan, input.toldAt ?? milestone.at);
    lines.push(
      language === 'kk'
        ? `Мерзімі ${due} өтті: ${days} күнге кешіктірілді, әрекет Merzim жүйесінде белгіленбеген.`
        : `Срок истёк ${due}: просрочено на ${russianDays(days)}, исполнение в Merzim не отмечено.`,
    );
  }
  const kinds = KINDS_OF_ROLE[recipient];
  if (!signsIn) {
    lines.push(...replyLines(input, language));
  } else if (kinds.includes('issuer')) {
    lines.push(language === 'kk' ? 'Жауап келген болса, оны Merzim жүйесінде белгілеңіз.' : 'Если ответ поступил, отметьте его в Merzim.');
  } else if (milestone.kind === 'reminder' || kinds.includes('acting')) {
    lines.push(language === 'kk' ? 'Әрекет орындалғанда, оны Merzim жүйесінде белгілеңіз.' : 'Когда действие будет совершено, отметьте его в Merzim.');
  } else {
    lines.push(
      language === 'kk'
        ? 'Орындалуын қамтамасыз етіңіз; әрекет орындалғанда, ол Merzim жүйесінде белгіленуі тиіс.'
        : 'Обеспечьте исполнение; совершённое действие должно быть отмечено в Merzim.',
    );
  }
  return lines;
}

/** A commission's officials as a reply's address names them, after the commission's own name. */
function contactRole(role: Role): Readonly<Record<MailLanguage, string>> {
  if (role === 'commission-secretary') return { kk: 'комиссия хатшысы', ru: 'секретарь комиссии' };
  if (role === 'commission-chair') return { kk: 'комиссия төрағасы', ru: 'председатель комиссии' };
  return { kk: ROLES[role].kk, ru: lower(ROLES[role].ru) };
}

/**
 * An addressee without a sign-in (a school, a hospital) answers the way the law has it, by an
 * official letter to the body that waits for it; the secretary records it in Merzim.
 */
function replyLines(input: NoticeInput, language: MailLanguage): string[] {
  const { issuer, replyTo = [] } = input;
  if (issuer === undefined) {
    return [language === 'kk' ? 'Әрекет орындалғанда, бұл туралы жоғары тұрған органға хабарлаңыз.' : 'Когда действие будет совершено, сообщите об этом в вышестоящий орган.'];
  }
  const contacts = replyTo.map((contact) => `${contactRole(contact.role)[language]} — ${contact.email}`);
  const where = [unitName(issuer, language), ...contacts].join('; ');
  const bySecretary = replyTo.some((contact) => contact.role === 'commission-secretary');
  return language === 'kk'
    ? [
        `Жауапты ресми хатпен жіберіңіз: ${where}.`,
        bySecretary
          ? 'Жауаптың келгенін комиссия хатшысы Merzim жүйесінде белгілейді: сізге Merzim жүйесіне кірудің қажеті жоқ.'
          : 'Жауаптың келгенін Merzim жүйесінде ол жіберілген орган белгілейді: сізге Merzim жүйесіне кірудің қажеті жоқ.',
      ]
    : [
        `Ответ направьте официальным письмом: ${where}.`,
        bySecretary
          ? 'Получение ответа отметит в Merzim секретарь комиссии: входить в Merzim вам не нужно.'
          : 'Получение ответа отметит в Merzim орган, которому он направлен: входить в Merzim вам не нужно.',
      ];
}

function nextLine(input: NoticeInput, language: MailLanguage): string | undefined {
  if (effectiveBody(input.rule, input.plan.variant).onDue.kind === 'expiry') return undefined;
  const next = nextNotice(input.plan, input.milestone);
  if (next === undefined) return undefined;
  // The due instant at midnight is the end of the last day: `02.03.2026, 24:00`.
  const when = localTimeText(next.at, next.kind === 'due');
  const who = next.notify.map((role) => (language === 'kk' ? ROLES[role].kk : lower(ROLES[role].ru))).join('; ');
  return language === 'kk'
    ? `${kazakhUntil(when)} Merzim жүйесінде белгіленбесе, хабарлама жіберіледі: ${who}.`
    : `Если до ${when} исполнение не будет отмечено в Merzim, уведомление ${next.notify.length === 1 ? 'получит' : 'получат'}: ${who}.`;
}

/** The period a plan counts: its first day and its last as counted, before a move off a day off. */
function periodOf(plan: Plan): { firstDay: string; lastDay: string } {
  return { firstDay: localDateOf(plan.start), lastDay: plan.movedFrom ?? plan.dueDate };
}

/** Whether this is the reminder sent as a plan's window of months opens. */
function opensWindow({ rule, plan, milestone }: NoticeInput): boolean {
  if (milestone.kind !== 'reminder') return false;
  const index = Number(milestone.id.replace(/^reminder-/, '')) - 1;
  return effectiveBody(rule, plan.variant).reminders[index]?.before.unit === 'period-opens';
}

/** An action-plan item's term as the plan words it: monthly, on a permanent basis, a window of months. */
function termLine(input: NoticeInput, language: MailLanguage): string | undefined {
  const term = itemTerm({ rule: input.rule.id, variant: input.plan.variant, ...periodOf(input.plan) });
  return term === undefined ? undefined : `${labels.term[language]}: ${term[language]}`;
}

function itemLine(input: NoticeInput, language: MailLanguage): string | undefined {
  const { item } = input;
  if (item === undefined || (item.label === undefined && item.text === undefined)) return undefined;
  const parts = [item.label, item.text].filter((part): part is string => part !== undefined);
  return `${labels.item[language]}: ${parts.join(' — ')}`;
}

/** A notice's subject: the kind, the rule, the case reference and the due time, nothing the directory says. */
export function noticeSubject({ rule, plan, milestone, reference }: Pick<NoticeInput, 'rule' | 'plan' | 'milestone' | 'reference'>): string {
  return `${headline[milestone.kind].kk} / ${headline[milestone.kind].ru}: ${rule.names.kk} / ${rule.names.ru} · ${reference} · ${localTimeText(plan.dueAt, true)}`;
}

export function composeNotice(input: NoticeInput): Notice {
  const { rule, plan, milestone, reference, organisation, issuer, recipient, signsIn, link, report, replaces = 0, folded = 0 } = input;
  const due = localTimeText(plan.dueAt, true);
  const expires = effectiveBody(rule, plan.variant).onDue.kind === 'expiry';
  const section = (language: MailLanguage): string => {
    const lines = [
      `${headline[milestone.kind][language]}: ${rule.names[language]}`,
      `${(expires ? labels.validUntil : labels.due)[language]}: ${due} (${labels.zone[language]})`,
      termLine(input, language),
      `${labels.case[language]}: ${reference}`,
      itemLine(input, language),
      `${unitWord(organisation.kind)[language]}: ${unitName(organisation, language)}`,
      issuer === undefined ? undefined : `${labels.issuer[language]}: ${unitName(issuer, language)}`,
      `${labels.to[language]}: ${ROLES[recipient][language]}`,
      `${labels.source[language]}: ${legalBasis(rule, language)}`,
      milestone.kind === 'escalation' && plan.overdueGrounds !== undefined ? plan.overdueGrounds.names[language] : undefined,
      '',
      ...whatToDo(input, language),
      replaces > 0 ? replacedText[language] : undefined,
      folded > 0 ? foldedText[language] : undefined,
      nextLine(input, language),
      signsIn && link !== undefined ? `${labels.link[language]}: ${link}` : undefined,
      signsIn && report !== undefined ? `${labels.report[language]}: ${report}` : undefined,
    ];
    return lines.filter((line): line is string => line !== undefined).join('\n');
  };
  return {
    subject: noticeSubject(input),
    text: ['ҚАЗАҚША', section('kk'), '', 'РУССКИЙ', section('ru')].join('\n'),
  };
}
