import { beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../shared/rules/index.ts';
import { playDemo } from '../../local/demo/story.ts';

/**
 * `npm run demo`, in-process: the whole app on a virtual clock from 31 January to 2 July 2026,
 * every rule's story through the API. What a person reads in the output is asserted here.
 */
describe('merzim demo', () => {
  let lines: string[] = [];
  const timed = /^(\d\d)\.(\d\d)\.(\d{4}) (\d\d):(\d\d)  /;
  const instantOf = (line: string): number => {
    const [, d, m, y, hh, mm] = timed.exec(line) ?? [];
    return Date.parse(`${y}-${m}-${d}T${hh}:${mm}:00+05:00`);
  };
  const find = (pattern: RegExp): number => lines.findIndex((line) => pattern.test(line));

  beforeAll(async () => {
    lines = await playDemo();
  }, 300_000);

  it('gives every rule of the catalog a chapter heading', () => {
    // `━━ protective-order + offender-check · English title / Русское название`
    const headed = lines.filter((line) => line.startsWith('━━ ')).flatMap((heading) => heading.slice(3).split(' · ')[0]?.split(' + ') ?? []);
    expect(new Set(headed)).toEqual(new Set(catalog.map((rule) => rule.id)));
  });

  it('reminds the Uralsk akimat department in its morning mail of 27 March, then escalates to its head in that of Monday 30 March', () => {
    const reminder = find(/^27\.03\.2026 09:30  → sss\.uralsk@akimat\.demo\.kz +Еске салу \/ Напоминание: Решение о предоставлении… · SSS-2026\/041 · 27\.03\.2026, 18:30$/);
    const escalation = find(/^30\.03\.2026 09:30  → sss-head\.uralsk@akimat\.demo\.kz +Мерзімі өткен \/ Просрочено: .* · SSS-2026\/041 /);
    expect(reminder).toBeGreaterThanOrEqual(0);
    expect(escalation).toBeGreaterThan(reminder);
    expect(find(/^26\.03\.2026 11:00  ✓ madina\.sss records decided on SSS-2026\/042 .*→ done$/)).toBeGreaterThanOrEqual(0);
  });

  it('tells the inspector that the protective order expired, 30 × 24 hours after service', () => {
    expect(find(/^01\.04\.2026 10:00  → inspector\.uralsk@police\.demo\.kz +Қолданылу мерзімі аяқталды \/ Срок действия истёк: Защитное предписание · ЗП-2026\/118 · 01\.04\.2026, 10:00$/)).toBeGreaterThanOrEqual(0);
  });

  it('shows the overdue reply to the submission with the grounds of CoAO art. 479', () => {
    expect(find(/^03\.03\.2026 09:30  → director\.school12\.uralsk@edu\.demo\.kz +Мерзімі өткен \/ Просрочено: Рассмотрение представления.* · КДН-2026\/07 /)).toBeGreaterThanOrEqual(0);
    expect(find(/^03\.03\.2026 09:30  ✓ dana\.secretary lists the overdue of zko-uralsk-kdn: КДН-2026\/07 .*ст\. 479 КоАП РК/)).toBeGreaterThanOrEqual(0);
  });

  it('prints its lines in time order and ends with the summary', () => {
    const instants = lines.filter((line) => timed.test(line)).map(instantOf);
    expect(instants.length).toBeGreaterThan(50);
    for (let index = 1; index < instants.length; index += 1) expect(instants[index] ?? 0).toBeGreaterThanOrEqual(instants[index - 1] ?? 0);
    expect(lines.at(-1)).toMatch(/^31\.01\.2026 → 02\.07\.2026: \d+ mails sent to \d+ mailboxes, \d+ obligations opened, now .*\bdone\b/);
  });
});
