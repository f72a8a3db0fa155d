import type * as z from 'zod';

/**
 * The one personal-data guard (LEGAL.md §5): every text Merzim stores or sends (case references,
 * labels, remarks, reasons, plan rows, names of units, idempotency keys) passes it. It folds the
 * text first, so that the same number in another script, in full-width digits or with invisible
 * characters between its digits is the same number, and then looks for four kinds of personal
 * data. It names the kind it found, so the API and the dashboard can say why a text was refused.
 */

export const PERSONAL_DATA_KINDS = ['iin', 'phone', 'email', 'full-name'] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

/** How a refusal of each kind reads in the API's answers (the dashboard words it in its own language). */
export const PERSONAL_DATA_MESSAGES: Readonly<Record<PersonalDataKind, string>> = {
  iin: 'must not hold a 12-digit number, whatever separates or writes its digits (an IIN is personal data)',
  phone: 'must not hold a phone number (personal data)',
  email: 'must not hold an e-mail address (personal data)',
  'full-name': 'must not hold a person’s full name: surname, name and patronymic (personal data)',
};

const DECIMAL_DIGIT = /\p{Nd}/u;

/**
 * The value of a decimal digit of any script. Unicode assigns decimal digits (Nd) only in
 * contiguous runs of ten, zero to nine (its stability policy), and every such run we know is a
 * whole number of tens; so a digit's value is its distance from the start of its run, modulo 10.
 * A test checks this against every numbering system Intl knows and against every Nd code point.
 */
const digitValues = new Map<number, number>();
function digitValue(codePoint: number): number {
  const known = digitValues.get(codePoint);
  if (known !== undefined) return known;
  let start = codePoint;
  while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
  const value = (codePoint - start) % 10;
  digitValues.set(codePoint, value);
  return value;
}

/**
 * The text as the guard reads it: `№` kept as a separator (NFKC would make it the letters `No`),
 * NFKC (full-width and mathematical digits, compatibility forms), format characters (Cf: zero-width
 * spaces, joiners, soft hyphens, bidi marks) removed, and every decimal digit made 0–9.
 */
export function foldText(text: string): string {
  return text
    .replace(/\u2116/g, '#')
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/\p{Nd}/gu, (digit) => {
      const codePoint = digit.codePointAt(0) ?? 0x30;
      return codePoint <= 0x39 ? digit : String(digitValue(codePoint));
    });
}

// 12 digits: an IIN (the birth date, a century-and-sex digit, a serial, a check digit).

/** Digits chained through up to three characters that are neither letters nor digits: `880101 / 300123`, `8,8,0,1…`. */
const DIGIT_CHAIN = /\d+(?:[^\p{L}\p{N}]{1,3}\d+)*/gu;
/**
 * A full calendar date, day and month of two digits, a year from 1990 to 2039, one separator
 * (`19.03.2026`, `2026-03-19`, `19/03/2026`): a case reference or a remark dated this way is not
 * an IIN, which starts with a two-digit year. ⚠ So a 12-digit run split so that eight of its
 * digits read as such a date, between other separators, is not caught: that takes intent, and
 * refusing every reference with a date would refuse most of them.
 */
const FULL_DATE = /(?<!\d)(?:(?:0[1-9]|[12]\d|3[01])([./-])(?:0[1-9]|1[0-2])\1(?:199\d|20[0-3]\d)|(?:199\d|20[0-3]\d)([./-])(?:0[1-9]|1[0-2])\2(?:0[1-9]|[12]\d|3[01]))(?!\d)/g;

/**
 * A time of day, with seconds, fractions and an offset where given (`15:20`, `15:20:30.250+05:00`):
 * an instant written out is not an IIN either.
 */
const TIME_OF_DAY = /(?<![\d:])(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d{1,3})?)?(?:[+\-\u2212](?:0\d|1[0-4]):?[0-5]\d)?(?![\d:])/g;

/**
 * A date is taken out only when what joins it to the digits around it is not its own separator:
 * `4521/19.03.2026` is a number and a date, `8.01.2019.3001` is one run split by dots.
 */
function withoutDates(folded: string): string {
  return folded.replace(FULL_DATE, (date: string, dayFirst: string | undefined, yearFirst: string | undefined, at: number) => {
    const separator = dayFirst ?? yearFirst;
    const joinedBefore = folded[at - 1] === separator && /\d/.test(folded[at - 2] ?? '');
    const joinedAfter = folded[at + date.length] === separator && /\d/.test(folded[at + date.length + 1] ?? '');
    return joinedBefore || joinedAfter ? date : 'D';
  });
}

function holdsTwelveDigits(folded: string): boolean {
  const plain = withoutDates(folded).replace(TIME_OF_DAY, 'T');
  for (const chain of plain.match(DIGIT_CHAIN) ?? []) {
    if (chain.replace(/\D/g, '').length >= 12) return true;
  }
  return false;
}

// Phones: Kazakhstan's numbers are +7 (or 8, the trunk prefix) and ten digits that start with 7.

/** A number as people write phones: digits in groups split by spaces, dashes, dots or brackets, maybe after `+`. */
const PHONE_CHAIN = /(?<![\p{L}\p{N}])\+?[\s(]{0,2}\d+(?:[\s\-\u2010-\u2015\u2212.()]{1,3}\d+)*/gu;
/** Thousands grouping (`77 000 000 000`): an amount, not a phone. */
const AMOUNT = /^\d{1,3}(?:[\s.,]\d{3})+$/;

function holdsPhone(folded: string): boolean {
  for (const chain of folded.match(PHONE_CHAIN) ?? []) {
    const digits = chain.replace(/\D/g, '');
    const plus = chain.trimStart().startsWith('+');
    // Any number written in international form: a plus and 10 to 15 digits (E.164).
    if (plus && digits.length >= 10 && digits.length <= 15) return true;
    if (AMOUNT.test(chain.trim())) continue;
    // +7 / 7 / 8, then a mobile (7xx) or a landline (7172, 727, 7112…): all ten start with 7.
    if (digits.length === 11 && /^[78]7/.test(digits)) return true;
    // The ten digits alone: `701 234 56 78`, `(7172) 12-34-56`, `7012345678`.
    if (digits.length === 10 && digits.startsWith('7')) return true;
  }
  return false;
}

// E-mail addresses.

/** Bounded parts (RFC 5321's 64 and 63): a long text without a match costs a pass, not a square. */
const EMAIL = /[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63}){0,8}\.\p{L}{2,63}/u;

// ⚠ Full names: a judgement, not a fact of the text.
//
// Three capitalised words in a row can be a surname, a name and a patronymic (`Иванова Айгуль
// Сериковна`, `Ivanova Aigul Serikovna`, `Сериков Ерлан Болатұлы`), but also an institution
// (`West Kazakhstan Region`, `Бурлинский Районный Акимат`), a street or a title. To refuse as few
// of those as we can, three capitalised words count as a full name only
// - when the second or third is a patronymic (-ович, -евич, -ьич, -овна, -евна, -ична and their
//   case forms, -қызы, -ұлы, -кызы, -улы; in Latin -ovich, -evich, -ovna, -evna, -ichna, -kyzy,
//   -qyzy, -uly), or
// - in Cyrillic, when the first is a surname (-ов, -ев, -ёв, -ин, and -а, -у, -ым, -ой after them);
// and two capitalised words followed by `қызы`/`ұлы` (`Айгуль Серик қызы`) count too.
// What it may still refuse wrongly: three capitalised Cyrillic words whose first ends like a
// surname (`Иванов Луг Сельский`, a street `Улица Абая Кунанбаева` does not match, `Пушкин Парк
// Культуры` does), or a name kept in an institution's title (`Школа Имени Абая Кунанбаева`).
// What it lets through: a name with initials (`Иванова А. С.`), two words, a name without
// patronymic in Latin, a name written in lower case. Those are for the people who type to avoid.

const CAPITALISED = /(?<![\p{L}\p{M}])\p{Lu}[\p{Ll}\p{Lu}\p{M}]+(?:-\p{Lu}[\p{Ll}\p{Lu}\p{M}]+)?(?![\p{L}\p{M}])/gu;
/** In Russian also as the cases write them: `Сериковны`, `Болатовичу`, `Ивановой`. */
const PATRONYMIC = /(?:(?:ович|евич|ьич)(?:а|у|ем|е)?|(?:овн|евн)(?:а|ы|е|ой|у)|ичн(?:а|ы|е)|қызы|ұлы|кызы|улы|ovich|evich|ovna|evna|ichna|kyzy|qyzy|uly|ūly)$/iu;
const CYRILLIC_SURNAME = /^\p{Script=Cyrillic}+(?:ов|ев|ёв|ин)(?:а|у|ым|ой)?$/iu;
const KAZAKH_PATRONYMIC_WORD = /\s+(?:қызы|ұлы|кызы|улы|kyzy|qyzy|uly)(?![\p{L}\p{M}])/uy;

function holdsFullName(folded: string): boolean {
  const words = [...folded.matchAll(CAPITALISED)].map((match) => ({ text: match[0], start: match.index, end: match.index + match[0].length }));
  /** The next word follows this one after nothing but spaces. */
  const next = (index: number): boolean => {
    const [one, other] = [words[index], words[index + 1]];
    return one !== undefined && other !== undefined && other.start - one.end <= 8 && /^\s+$/.test(folded.slice(one.end, other.start));
  };
  for (let index = 0; index + 1 < words.length; index += 1) {
    if (!next(index)) continue;
    const [first, second, third] = [words[index], words[index + 1], words[index + 2]];
    if (first === undefined || second === undefined) continue;
    KAZAKH_PATRONYMIC_WORD.lastIndex = second.end;
    if (KAZAKH_PATRONYMIC_WORD.test(folded)) return true;
    if (third === undefined || !next(index + 1)) continue;
    if (PATRONYMIC.test(second.text) || PATRONYMIC.test(third.text) || CYRILLIC_SURNAME.test(first.text)) return true;
  }
  return false;
}

/**
 * The first kind of personal data the text holds, or undefined. `allow` leaves a kind out where
 * the field is that kind by design (a member's work mailbox is an e-mail address).
 */
export function personalDataIn(text: string, allow: readonly PersonalDataKind[] = []): PersonalDataKind | undefined {
  const folded = foldText(text);
  const checks: readonly [PersonalDataKind, (folded: string) => boolean][] = [
    ['email', (value) => value.includes('@') && EMAIL.test(value)],
    ['phone', holdsPhone],
    ['iin', holdsTwelveDigits],
    ['full-name', holdsFullName],
  ];
  for (const [kind, holds] of checks) {
    if (!allow.includes(kind) && holds(folded)) return kind;
  }
  return undefined;
}

/** The longest text the guard reads: ten times the longest free text Merzim takes (a remark's 500). */
export const GUARDED_LENGTH = 5000;

/** The key a refusal carries in its zod issue's params, and then in the API's issue. */
export const PERSONAL_DATA_PARAM = 'personalData';

/**
 * A zod check that refuses a text holding personal data, naming `what` and the kind found: the
 * issue's params carry `{ personalData: kind }` for the API to pass on.
 */
export function refusePersonalData(what: string, allow: readonly PersonalDataKind[] = []) {
  return (text: string, context: z.RefinementCtx): void => {
    // Every guarded field is far shorter (shared/base/text.ts); reading megabytes would cost seconds.
    if (text.length > GUARDED_LENGTH) {
      context.addIssue({ code: 'custom', message: `${what} is too long to be read for personal data (more than ${GUARDED_LENGTH} characters)` });
      return;
    }
    const kind = personalDataIn(text, allow);
    if (kind !== undefined) context.addIssue({ code: 'custom', message: `${what} ${PERSONAL_DATA_MESSAGES[kind]}`, params: { [PERSONAL_DATA_PARAM]: kind } });
  };
}

/** The kind a zod issue refused, when the guard raised it. */
export function personalDataKindOf(issue: { readonly code: string; readonly params?: unknown }): PersonalDataKind | undefined {
  if (issue.code !== 'custom' || typeof issue.params !== 'object' || issue.params === null) return undefined;
  const kind = (issue.params as Record<string, unknown>)[PERSONAL_DATA_PARAM];
  return (PERSONAL_DATA_KINDS as readonly unknown[]).includes(kind) ? (kind as PersonalDataKind) : undefined;
}
