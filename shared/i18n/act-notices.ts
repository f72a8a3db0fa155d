import { type Instant, type Role, ROLES, type Texts } from '../base/index.ts';
import type { Rule } from '../rules/index.ts';
import { type MailLanguage, type NoticeUnit, legalBasis, localTimeText, unitWord } from './notices.ts';
import { MAIL_LABELS } from './labels.ts';

/**
 * The mail an act sends at once, in Kazakh and Russian in one message: a case handed over to
 * another unit, a breach found at a check. Like every notice it says the kind of act, the rule,
 * the case reference, the units and the due time, never anything about the people in the case
 * (LEGAL.md §5): neither the act's reason nor its note goes out.
 */
export const TOLD_ACTS = ['transferred', 'violation-found'] as const;
export type ToldAct = (typeof TOLD_ACTS)[number];

export function isToldAct(act: string): act is ToldAct {
  return (TOLD_ACTS as readonly string[]).includes(act);
}

export interface ActNoticeInput {
  readonly act: ToldAct;
  readonly rule: Rule;
  /** The owning body's case reference. */
  readonly reference: string;
  /** The unit that must act, as it stands after the act. */
  readonly organisation: NoticeUnit;
  /** A hand-over: the unit the case came from (the acting unit, or the issuing commission). */
  readonly from?: NoticeUnit;
  /** The due instant, unchanged by either act. */
  readonly dueAt: Instant;
  readonly recipient: Role;
  /** The obligation on the dashboard; no link when the dashboard's address is not configured. */
  readonly link?: string;
}

export interface ActNotice {
  readonly subject: string;
  readonly text: string;
}

const headline: Record<ToldAct, Texts> = {
  transferred: { kk: 'Іс берілді', ru: 'Дело передано', en: 'Case handed over' },
  'violation-found': { kk: 'Бұзушылық анықталды', ru: 'Выявлено нарушение', en: 'Violation found' },
};

/** What the recipient is asked to do. */
const what: Record<ToldAct, Texts> = {
  transferred: {
    kk: 'Іс сізге берілді. Мерзім өзгерген жоқ: ол іс берілгенге дейін басталған қалпында жалғасады.',
    ru: 'Дело передано вам. Срок не изменился: он продолжает течь так, как начался до передачи.',
    en: 'The case is now yours. The deadline has not changed: it runs on as it started before the hand-over.',
  },
  'violation-found': {
    kk: 'Тексеру кезінде қорғау нұсқамасының немесе ерекше талаптардың бұзылуы анықталды. Қандай шара қолданылатынын шешіңіз.',
    ru: 'При проверке выявлено нарушение защитного предписания или особых требований. Примите решение о мерах.',
    en: 'A check found a breach of the order or of the special requirements. Decide on the measures.',
  },
};

const labels = {
  ...MAIL_LABELS,
  from: { kk: 'Істі берген', ru: 'Дело передал', en: 'Handed over by' },
} as const satisfies Record<string, Texts>;

const named = (unit: NoticeUnit, language: MailLanguage): string => (typeof unit.names === 'string' ? unit.names : unit.names[language]);

export function composeActNotice({ act, rule, reference, organisation, from, dueAt, recipient, link }: ActNoticeInput): ActNotice {
  const due = localTimeText(dueAt, true);
  const section = (language: MailLanguage): string =>
    [
      `${headline[act][language]}: ${rule.names[language]}`,
      `${labels.due[language]}: ${due} (${labels.zone[language]})`,
      `${labels.case[language]}: ${reference}`,
      `${unitWord(organisation.kind)[language]}: ${named(organisation, language)}`,
      ...(from === undefined ? [] : [`${labels.from[language]}: ${named(from, language)}`]),
      `${labels.to[language]}: ${ROLES[recipient][language]}`,
      `${labels.source[language]}: ${legalBasis(rule, language)}`,
      '',
      what[act][language],
      ...(link === undefined ? [] : [`${labels.link[language]}: ${link}`]),
    ].join('\n');
  return {
    subject: `${headline[act].kk} / ${headline[act].ru}: ${rule.names.kk} / ${rule.names.ru} · ${reference} · ${due}`,
    text: ['ҚАЗАҚША', section('kk'), '', 'РУССКИЙ', section('ru')].join('\n'),
  };
}
