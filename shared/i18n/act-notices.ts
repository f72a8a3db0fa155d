import type { Instant } from '../calendar/instant.ts';
import { ROLES, type Role } from '../model/roles.ts';
import type { Rule } from '../rules/rule.ts';
import { localTimeText } from './notices.ts';
import type { Texts } from './texts.ts';

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
  readonly organisation: string;
  /** A hand-over: the unit the case came from (the acting unit, or the issuing commission). */
  readonly from?: string;
  /** The due instant, unchanged by either act. */
  readonly dueAt: Instant;
  readonly recipient: Role;
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
    kk: 'Іс сіздің бөлімшеңізге берілді. Мерзім өзгерген жоқ: ол істі берген бөлімшеде басталған қалпында жалғасады.',
    ru: 'Дело передано вашему подразделению. Срок не изменился: он продолжает течь с того момента, как начался в передавшем подразделении.',
    en: 'The case is now with your unit. The deadline has not changed: it runs on from where it started in the unit that handed it over.',
  },
  'violation-found': {
    kk: 'Тексеру кезінде нұсқаманың немесе ерекше талаптардың бұзылуы анықталды. Шаралар туралы шешім қабылдаңыз.',
    ru: 'При проверке выявлено нарушение предписания или особых требований. Примите решение о мерах.',
    en: 'A check found a breach of the order or of the special requirements. Decide on the measures.',
  },
};

const labels = {
  due: { kk: 'Мерзімі', ru: 'Срок', en: 'Due' },
  case: { kk: 'Іс', ru: 'Дело', en: 'Case' },
  unit: { kk: 'Жауапты бөлім', ru: 'Ответственное подразделение', en: 'Responsible unit' },
  from: { kk: 'Қайдан берілді', ru: 'Передано из', en: 'Handed over from' },
  to: { kk: 'Кімге', ru: 'Кому', en: 'To' },
  source: { kk: 'Негіз', ru: 'Основание', en: 'Source' },
  zone: { kk: 'Астана уақыты', ru: 'время Астаны', en: 'Astana time' },
} as const satisfies Record<string, Texts>;

export function composeActNotice({ act, rule, reference, organisation, from, dueAt, recipient }: ActNoticeInput): ActNotice {
  const due = localTimeText(dueAt, true);
  const section = (language: 'kk' | 'ru'): string =>
    [
      `${headline[act][language]}: ${rule.names[language]}`,
      `${labels.due[language]}: ${due} (${labels.zone[language]})`,
      `${labels.case[language]}: ${reference}`,
      `${labels.unit[language]}: ${organisation}`,
      ...(from === undefined ? [] : [`${labels.from[language]}: ${from}`]),
      `${labels.to[language]}: ${ROLES[recipient][language]}`,
      what[act][language],
    ].join('\n');
  const source = rule.sources[0];
  return {
    subject: `${headline[act].kk} / ${headline[act].ru}: ${rule.names.ru} · ${reference} · ${due}`,
    text: [
      'ҚАЗАҚША',
      section('kk'),
      '',
      'РУССКИЙ',
      section('ru'),
      '',
      `${labels.source.ru}: ${source === undefined ? '' : [source.act, source.provision].filter(Boolean).join(', ')}`,
    ].join('\n'),
  };
}
