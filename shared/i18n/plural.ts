/**
 * A count with the Russian word that agrees with it: `russianPlural(21, 'день', 'дня', 'дней')` is
 * `21 день`, 3 → `3 дня`, 5 and 11 to 14 → `дней`. The mails and the dashboard count alike.
 */
export function russianPlural(count: number, one: string, few: string, many: string): string {
  const tens = count % 100;
  const ones = count % 10;
  return `${count} ${tens >= 11 && tens <= 14 ? many : ones === 1 ? one : ones >= 2 && ones <= 4 ? few : many}`;
}

/** `1 день`, `3 дня`, `5 дней`, `11 дней`, `21 день`. */
export function russianDays(count: number): string {
  return russianPlural(count, 'день', 'дня', 'дней');
}

/** How the last number read aloud ends: its vowel (back or front) and its last sound (voiceless or not). */
type Sound = 'front' | 'front-voiceless' | 'back' | 'back-voiceless';
const UNITS: Readonly<Record<string, Sound>> = {
  '0': 'front', '1': 'front', '2': 'front', '3': 'front-voiceless', '4': 'front-voiceless', '5': 'front-voiceless',
  '6': 'back', '7': 'front', '8': 'front', '9': 'back',
};
const TENS: Readonly<Record<string, Sound>> = { '1': 'back', '2': 'back', '3': 'back', '4': 'back-voiceless', '5': 'front' };
const ENDINGS: Readonly<Record<'dative' | 'locative', Record<Sound, string>>> = {
  dative: { front: 'ге', 'front-voiceless': 'ке', back: 'ға', 'back-voiceless': 'қа' },
  locative: { front: 'де', 'front-voiceless': 'те', back: 'да', 'back-voiceless': 'та' },
};

/**
 * A clock time with its Kazakh case ending: `09:00-ге`, `18:30-ға`, `17:40-та`. The ending follows
 * the last number read aloud: the minutes, or «нөл нөл» for a full hour, as officials write `24:00-ге`.
 */
export function kazakhTime(text: string, grammaticalCase: 'dative' | 'locative'): string {
  const minutes = text.slice(-2);
  const sound = minutes === '00' ? 'front' : minutes.endsWith('0') ? (TENS[minutes.charAt(0)] ?? 'front') : (UNITS[minutes.charAt(1)] ?? 'front');
  return `${text}-${ENDINGS[grammaticalCase][sound]}`;
}
