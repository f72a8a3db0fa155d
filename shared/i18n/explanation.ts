import { type Act, type Instant, type Language, type LegalSource, type LocalDate, type Texts, formatInstant, isoWeekday } from '../base/index.ts';
import type { Day } from '../calendar/index.ts';
import type { CountStep, CountStepKind, Period } from '../periods/index.ts';
import { dottedDate } from './labels.ts';
import { localTimeText } from './notices.ts';
import { kazakhTime, russianDays, russianPlural } from './plural.ts';

/**
 * An explanation (periods/explanation.ts) as people read it, in Kazakh, Russian and English: one
 * sentence per step and the acts it rests on, as an official cites them. Long runs of days are
 * already told compactly by the count; here nothing is added or left out.
 */
export interface ExplainedStep {
  readonly kind: CountStepKind;
  /** The day the step is about (the first day of a run), where there is one. */
  readonly date?: LocalDate;
  readonly text: Texts;
  /** The acts the step rests on, cited; ⚠ where LEGAL.md marks the source unconfirmed. */
  readonly grounds: readonly Texts[];
}

const by = (make: (language: Language) => string): Texts => ({ kk: make('kk'), ru: make('ru'), en: make('en') });

const WEEKDAYS: Record<Language, readonly string[]> = {
  kk: ['дүйсенбі', 'сейсенбі', 'сәрсенбі', 'бейсенбі', 'жұма', 'сенбі', 'жексенбі'],
  ru: ['понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота', 'воскресенье'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};

/** `на субботу`, `сенбіге`: the day a transferred holiday fell on. */
const RU_ACCUSATIVE = ['понедельник', 'вторник', 'среду', 'четверг', 'пятницу', 'субботу', 'воскресенье'];
const KK_DATIVE = ['дүйсенбіге', 'сейсенбіге', 'сәрсенбіге', 'бейсенбіге', 'жұмаға', 'сенбіге', 'жексенбіге'];

/** `21.03.2026 (сенбі)` */
const dayText = (date: LocalDate, language: Language): string => `${dottedDate(date)} (${WEEKDAYS[language][isoWeekday(date) - 1] ?? ''})`;
/** `19.03.2026, 15:20` in Astana time. */
const instantText = (at: Instant): string => {
  const text = formatInstant(at);
  return `${dottedDate(text.slice(0, 10))}, ${text.slice(11, 16)}`;
};

function periodText(period: Period, language: Language): string {
  switch (period.unit) {
    case 'working-days':
      return { kk: `${period.count} жұмыс күні`, ru: russianPlural(period.count, 'рабочий день', 'рабочих дня', 'рабочих дней'), en: `${period.count} working day${period.count === 1 ? '' : 's'}` }[language];
    case 'days':
      return { kk: `${period.count} күнтізбелік күн`, ru: russianPlural(period.count, 'календарный день', 'календарных дня', 'календарных дней'), en: `${period.count} calendar day${period.count === 1 ? '' : 's'}` }[language];
    case 'weeks':
      return { kk: `${period.count} апта`, ru: russianPlural(period.count, 'неделя', 'недели', 'недель'), en: `${period.count} week${period.count === 1 ? '' : 's'}` }[language];
    case 'months':
      return { kk: `${period.count} ай`, ru: russianPlural(period.count, 'месяц', 'месяца', 'месяцев'), en: `${period.count} month${period.count === 1 ? '' : 's'}` }[language];
    case 'hours24':
      return { kk: `${period.count} тәулік`, ru: russianPlural(period.count, 'сутки', 'суток', 'суток'), en: `${period.count} × 24 hours` }[language];
    default:
      return '';
  }
}

/** The event that starts a clock, as the count's first step names it. */
const START_EVENTS: Partial<Record<Act, Texts>> = {
  'conclusion-received': { kk: 'әлеуметтік қызметкердің қорытындысы алынды', ru: 'получено заключение социального работника', en: "the social worker's conclusion was received" },
  'order-served': { kk: 'қорғау нұсқамасы адамға табыс етілді', ru: 'защитное предписание вручено лицу', en: 'the protective order was handed to the person' },
  registered: { kk: 'адам профилактикалық есепке алынды', ru: 'лицо поставлено на профилактический учёт', en: 'the person was put on the preventive register' },
  'warning-issued': { kk: 'ресми ескерту жарияланды', ru: 'объявлено официальное предостережение', en: 'the official warning was issued' },
  'court-decision-effective': { kk: 'сот шешімі заңды күшіне енді', ru: 'решение суда вступило в законную силу', en: 'the court decision came into force' },
  'decision-received': { kk: 'комиссияның қаулысы алынды', ru: 'получено постановление комиссии', en: "the commission's decision was received" },
  'submission-received': { kk: 'ұсыныс алынды', ru: 'получено представление', en: 'the submission was received' },
  'quarter-ended': { kk: 'есепті тоқсан аяқталды', ru: 'окончился отчётный квартал', en: 'the reporting quarter ended' },
  'period-started': { kk: 'жоспардың кезеңі басталды', ru: 'начался период плана', en: "the plan's period started" },
  'resident-left': { kk: 'тұрушы дағдарыс орталығынан кетіп қалды', ru: 'проживающий покинул кризисный центр', en: 'the resident left the crisis centre' },
};

const PROJECTED: Texts = {
  kk: 'болжам: осы жылдың өндірістік күнтізбесі әлі жарияланған жоқ',
  ru: 'прогноз: производственный календарь на этот год ещё не опубликован',
  en: "projected: this year's calendar is not yet published",
};

/** Why a day is off, in a few words. */
function reasonText(day: Day, language: Language, several: boolean): string {
  const reason = day.reason;
  const text = ((): string => {
    switch (reason.kind) {
      case 'weekend':
        return {
          kk: several ? 'бес күндік жұмыс аптасының демалыс күндері' : 'бес күндік жұмыс аптасының демалыс күні',
          ru: several ? 'выходные дни пятидневной рабочей недели' : 'выходной день пятидневной рабочей недели',
          en: several ? 'days of rest of the five-day week' : 'a day of rest of the five-day week',
        }[language];
      case 'holiday':
        return { kk: `мереке күні: ${reason.names.kk}`, ru: `праздничный день: ${reason.names.ru}`, en: `a public holiday: ${reason.names.en}` }[language];
      case 'religious':
        return { kk: `діни мерекенің демалыс күні: ${reason.names.kk}`, ru: `выходной день религиозного праздника: ${reason.names.ru}`, en: `a religious day off: ${reason.names.en}` }[language];
      case 'transferred': {
        const weekday = isoWeekday(reason.from) - 1;
        return {
          kk: `${dottedDate(reason.from)} ${KK_DATIVE[weekday] ?? ''} сәйкес келген мерекеден ауыстырылған демалыс күні: ${reason.names.kk}`,
          ru: `выходной день, перенесённый с праздника, выпавшего на ${RU_ACCUSATIVE[weekday] ?? ''} ${dottedDate(reason.from)}: ${reason.names.ru}`,
          en: `the day off for ${reason.names.en}, which fell on ${WEEKDAYS.en[weekday] ?? ''} ${dottedDate(reason.from)}, transferred`,
        }[language];
      }
      case 'decree-day-off':
        return { kk: 'демалыс күнін ауыстыру туралы бұйрық бойынша демалыс күні', ru: 'день отдыха по приказу о переносе дня отдыха', en: 'a day off by the order transferring a day of rest' }[language];
      case 'override':
        return { kk: `әкімші енгізген өзгеріс бойынша демалыс күні: ${reason.override.reason}`, ru: `выходной день по изменению, внесённому администратором: ${reason.override.reason}`, en: `a day off entered by the administrator: ${reason.override.reason}` }[language];
      default:
        return '';
    }
  })();
  const projected = day.projected;
  if (projected === undefined) return text;
  return `${text} (${PROJECTED[language]}${projected.basis === 'law' ? '' : ' ⚠'})`;
}

/** The days of a run: each, or the first and last of a long one. */
function daysText(days: readonly Day[], language: Language): string {
  if (days.length <= 3) return days.map((day) => dayText(day.date, language)).join(', ');
  const first = dayText((days[0] as Day).date, language);
  const last = dayText((days.at(-1) as Day).date, language);
  return { kk: `${first} – ${last}, ${days.length} күн`, ru: `${first} – ${last}, ${russianDays(days.length)}`, en: `${first} to ${last}, ${days.length} days` }[language];
}

const ORDINAL_EN = (n: number): string => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
};

function lastDayText(step: Extract<CountStep, { kind: 'last-day' }>, language: Language): string {
  const day = dayText(step.date, language);
  if (step.extended === true) return { kk: `Мерзім ұзартылды: мерзімнің соңғы күні — ${day}.`, ru: `Срок продлён до ${day}: это последний день срока.`, en: `The period was extended to ${day}: this is its last day.` }[language];
  const { period } = step;
  switch (period.unit) {
    case 'working-days':
      return { kk: `Мерзімнің соңғы күні — ${period.count}-жұмыс күні: ${day}.`, ru: `Последний день срока — ${period.count}-й рабочий день: ${day}.`, en: `The last day of the period is the ${ORDINAL_EN(period.count)} working day: ${day}.` }[language];
    case 'days':
      return { kk: `Мерзімнің соңғы күні — ${period.count}-күнтізбелік күн: ${day}.`, ru: `Последний день срока — ${period.count}-й календарный день: ${day}.`, en: `The last day of the period is the ${ORDINAL_EN(period.count)} calendar day: ${day}.` }[language];
    case 'weeks':
      return {
        kk: `Мерзімнің соңғы күні — соңғы аптаның оқиға болған күнмен аттас күні: ${day}.`,
        ru: `Последний день срока — соответствующий день последней недели срока (тот же день недели, что и день события): ${day}.`,
        en: `The last day of the period is the same weekday as the event's, in its last week: ${day}.`,
      }[language];
    case 'months':
      return {
        kk: `Мерзімнің соңғы күні — соңғы айдың оқиға болған күнмен аттас күні (ондай күн болмаса, айдың соңғы күні): ${day}.`,
        ru: `Последний день срока — соответствующее число последнего месяца срока (то же, что и день события, а если такого числа нет — последний день месяца): ${day}.`,
        en: `The last day of the period is the same-numbered day as the event's, in its last month (or that month's last day): ${day}.`,
      }[language];
    case 'period-end': {
      const of = { month: { kk: 'айдың', ru: 'месяца', en: 'month' }, quarter: { kk: 'тоқсанның', ru: 'квартала', en: 'quarter' }, year: { kk: 'жылдың', ru: 'года', en: 'year' } }[period.of];
      return { kk: `Мерзімнің соңғы күні — мерзім басталған ${of.kk} соңғы күні: ${day}.`, ru: `Последний день срока — последний день ${of.ru}, в котором начался срок: ${day}.`, en: `The last day of the period is the last day of the ${of.en} in which it started: ${day}.` }[language];
    }
    case 'month-ends':
      return period.count === 1
        ? { kk: `Мерзімнің соңғы күні — мерзім басталған айдың соңғы күні: ${day}.`, ru: `Последний день срока — последний день месяца, в котором начался срок: ${day}.`, en: `The last day of the period is the last day of the month it started in: ${day}.` }[language]
        : { kk: `Мерзімнің соңғы күні — мерзім басталған айдан бастап санағанда ${period.count}-айдың соңғы күні: ${day}.`, ru: `Последний день срока — последний день ${period.count}-го месяца, считая месяц начала срока первым: ${day}.`, en: `The last day of the period is the last day of month ${period.count}, the month it started in being the first: ${day}.` }[language];
    case 'day-after-period': {
      const of = { month: { kk: 'есепті айдан', ru: 'отчётным месяцем', en: 'reporting month' }, quarter: { kk: 'есепті тоқсаннан', ru: 'отчётным кварталом', en: 'reporting quarter' }, year: { kk: 'есепті жылдан', ru: 'отчётным годом', en: 'reporting year' } }[period.of];
      return {
        kk: `Мерзімнің соңғы күні — ${of.kk} кейінгі айдың ${period.day}-күні: ${day}.`,
        ru: `Последний день срока — ${period.day}-е число месяца, следующего за ${of.ru}: ${day}.`,
        en: `The last day of the period is day ${period.day} of the month after the ${of.en}: ${day}.`,
      }[language];
    }
    case 'set-date':
      return { kk: `Мерзімнің соңғы күнін құжаттың өзі белгілеген: ${day}.`, ru: `Последний день срока установлен самим документом: ${day}.`, en: `The document itself sets the last day: ${day}.` }[language];
    default:
      return { kk: `Мерзімнің соңғы күні: ${day}.`, ru: `Последний день срока: ${day}.`, en: `The last day of the period: ${day}.` }[language];
  }
}

function stepText(step: CountStep, steps: readonly CountStep[], language: Language): string {
  switch (step.kind) {
    case 'event': {
      const event = START_EVENTS[step.act]?.[language] ?? step.act;
      return { kk: `Мерзімді бастайтын оқиға: ${event}, ${instantText(step.at)} (Астана уақыты).`, ru: `Событие, с которого исчисляется срок: ${event}, ${instantText(step.at)} (время Астаны).`, en: `The event that starts the clock: ${event}, ${instantText(step.at)} (Astana time).` }[language];
    }
    case 'count-starts': {
      const period = periodText(step.period, language);
      const day = dayText(step.date, language);
      return { kk: `Мерзім (${period}) оқиғадан кейінгі күннен бастап есептеледі: ${day}.`, ru: `Срок (${period}) исчисляется со дня, следующего за событием: ${day}.`, en: `The period (${period}) runs from the day after the event: ${day}.` }[language];
    }
    case 'hours-start': {
      const period = periodText({ unit: 'hours24', count: step.count }, language);
      return { kk: `Мерзім (${period}) күннен емес, оқиға болған сәттен бастап есептеледі: ${instantText(step.at)}.`, ru: `Срок (${period}) исчисляется не со дня, а с момента события: ${instantText(step.at)}.`, en: `The period (${period}) runs from the moment of the event, not from a day: ${instantText(step.at)}.` }[language];
    }
    case 'days-off-counted':
      return {
        kk: 'Мерзім жұмыс күндерімен емес, күнтізбе бойынша есептеледі: оның ішіндегі демалыс және мереке күндері де есепке алынады.',
        ru: 'Срок исчисляется по календарю, а не в рабочих днях: выходные и праздничные дни внутри срока засчитываются.',
        en: 'The period is counted on the calendar, not in working days: the days off inside it count like any other day.',
      }[language];
    case 'skipped': {
      const days = daysText(step.days, language);
      const why = reasonText(step.days[0] as Day, language, step.days.length > 1);
      return { kk: `Есепке алынбайды: ${days} — ${why}.`, ru: `Не засчитывается: ${days} — ${why}.`, en: `Not counted: ${days}: ${why}.` }[language];
    }
    case 'weekends-skipped': {
      const first = dayText(step.dates[0] ?? '', language);
      const last = dayText(step.dates.at(-1) ?? '', language);
      const count = step.dates.length;
      return {
        kk: `Сенбі мен жексенбі есепке алынбайды (бес күндік жұмыс аптасы): ${first} мен ${last} аралығында ${count} күн.`,
        ru: `Субботы и воскресенья не засчитываются (пятидневная рабочая неделя): ${russianDays(count)} с ${first} по ${last}.`,
        en: `Saturdays and Sundays are not counted (five-day week): ${count} days from ${first} to ${last}.`,
      }[language];
    }
    case 'last-day':
      return lastDayText(step, language);
    case 'moved': {
      const from = dayText(step.from, language);
      const to = dayText(step.to, language);
      if (new Set(step.days.map((day) => reasonText(day, language, false))).size > 1) {
        // Days off for different reasons, each with its own: a Sunday and the holiday after it are two facts.
        const days = step.days.map((day) => `${dayText(day.date, language)} — ${reasonText(day, language, false)}`).join('; ');
        return {
          kk: `Жұмыс күні емес: ${days}. Сондықтан мерзім одан кейінгі бірінші жұмыс күні аяқталады: ${to}.`,
          ru: `Нерабочие дни: ${days}. Поэтому днём окончания срока считается ближайший следующий рабочий день: ${to}.`,
          en: `Not working days: ${days}. So the period ends on the next working day: ${to}.`,
        }[language];
      }
      const whys = [...new Set(step.days.map((day) => reasonText(day, language, false)))].join('; ');
      return {
        kk: `${from} — жұмыс күні емес (${whys}), сондықтан мерзім одан кейінгі бірінші жұмыс күні аяқталады: ${to}.`,
        ru: `${from} — нерабочий день (${whys}), поэтому днём окончания срока считается ближайший следующий рабочий день: ${to}.`,
        en: `${from} is not a working day (${whys}), so the period ends on the next working day: ${to}.`,
      }[language];
    }
    case 'not-moved': {
      const day = dayText(step.day.date, language);
      const why = reasonText(step.day, language, false);
      return { kk: `${day} — жұмыс күні емес (${why}), бірақ бұл мерзім жұмыс күніне ауыстырылмайды.`, ru: `${day} — нерабочий день (${why}), но этот срок на рабочий день не переносится.`, en: `${day} is not a working day (${why}), but this period is not moved.` }[language];
    }
    case 'ends': {
      const day = dottedDate(step.date);
      if (step.endOfDay === 'midnight') {
        return { kk: `Мерзім ${day} күні Астана уақытымен сағат 24:00-де аяқталады.`, ru: `Срок истекает ${day} в 24:00 по времени Астаны.`, en: `The period ends on ${day} at 24:00, Astana time.` }[language];
      }
      if (step.endOfDay === 'close-of-business') {
        const time = formatInstant(step.at).slice(11, 16);
        return {
          kk: `Әрекет ұйымның өзінде жасалады: мерзім оның жұмыс уақыты аяқталғанда, ${day} күні Астана уақытымен сағат ${kazakhTime(time, 'locative')} аяқталады.`,
          ru: `Действие совершается в организации: срок истекает с окончанием её рабочего времени, ${day} в ${time} по времени Астаны.`,
          en: `The act is done in the organisation: the period ends when its working hours end, on ${day} at ${time}, Astana time.`,
        }[language];
      }
      const start = steps.find((other) => other.kind === 'hours-start');
      const period = start === undefined ? '' : periodText({ unit: 'hours24', count: start.count }, language);
      return { kk: `Мерзім дәл ${period} өткенде аяқталады: ${instantText(step.at)} (Астана уақыты).`, ru: `Срок истекает ровно через ${period}: ${instantText(step.at)} (время Астаны).`, en: `The period ends exactly ${period} later: ${instantText(step.at)} (Astana time).` }[language];
    }
  }
}

/** A source as an official cites it, ⚠ where it is not read in the act itself. */
export function citeText(source: LegalSource): Texts {
  const mark = (text: string): string => (source.confidence === 'official' || text.includes('⚠') ? text : `${text} ⚠`);
  const plain = [source.act, source.provision].filter((part) => part !== undefined).join(', ');
  return by((language) => mark(source.cite?.[language] ?? plain));
}

function dateOf(step: CountStep): LocalDate | undefined {
  switch (step.kind) {
    case 'event':
    case 'hours-start':
      return formatInstant(step.at).slice(0, 10);
    case 'count-starts':
    case 'last-day':
    case 'ends':
      return step.date;
    case 'skipped':
      return step.days[0]?.date;
    case 'weekends-skipped':
      return step.dates[0];
    case 'moved':
      return step.from;
    case 'not-moved':
      return step.day.date;
    case 'days-off-counted':
      return undefined;
  }
}

export function explainSteps(steps: readonly CountStep[]): ExplainedStep[] {
  return steps.map((step) => {
    const seen = new Set<string>();
    const grounds = step.grounds.map(citeText).filter((cite) => !seen.has(cite.en) && seen.add(cite.en) !== undefined);
    const date = dateOf(step);
    return { kind: step.kind, ...(date === undefined ? {} : { date }), text: by((language) => stepText(step, steps, language)), grounds };
  });
}

const ASTANA: Texts = { kk: 'Астана уақыты', ru: 'время Астаны', en: 'Astana time' };

const LABELS = {
  due: { kk: 'Мерзім', ru: 'Срок', en: 'Due' },
  grounds: { kk: 'Негізі', ru: 'Основание', en: 'Grounds' },
} as const;

/**
 * The explanation as plain text in one language, for the command line: the rule, the due time,
 * then the numbered steps, each with the acts it rests on.
 */
export function explanationLines(ruleName: Texts, dueAt: Instant, steps: readonly ExplainedStep[], language: Language): string[] {
  return [
    ruleName[language],
    `${LABELS.due[language]}: ${localTimeText(dueAt, true)} (${ASTANA[language]})`,
    '',
    ...steps.flatMap((step, index) => [
      `${index + 1}. ${step.text[language]}`,
      ...(step.grounds.length === 0 ? [] : [`   ${LABELS.grounds[language]}: ${step.grounds.map((ground) => ground[language]).join('; ')}`]),
    ]),
  ];
}
