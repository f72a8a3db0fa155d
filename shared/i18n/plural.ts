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
