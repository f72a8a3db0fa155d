import { describe, expect, it, vi } from 'vitest';
import { merzim } from './bin.ts';

// Each test starts the real bin (node, tsx and the catalog): seconds each on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

describe('merzim due --explain', () => {
  it('prints how the due date was counted, in English by default, each step with its grounds', async () => {
    const { code, stdout } = await merzim('due', 'submission-reply', '--start', '2026-01-31T10:00:00+05:00', '--explain');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual(['Reply to a submission on measures taken', 'Due: 02.03.2026, 24:00 (Astana time)', '']);
    expect(lines).toContain(
      '5. 28.02.2026 (Saturday) is not a working day (a day of rest of the five-day week), so the period ends on the next working day: 02.03.2026 (Monday).',
    );
    expect(lines.at(-2)).toBe('6. The period ends on 02.03.2026 at 24:00, Astana time.');
    expect(lines.at(-1)).toBe('   Grounds: Civil Code of the RK, "Calculation of periods" ⚠');
  });

  it('in Kazakh or Russian with --lang; without --explain the JSON is as it was', async () => {
    const kk = await merzim('due', 'sss-decision', '--start', '2026-03-19T15:20:00+05:00', '--explain', '--lang', 'kk');
    expect(kk.code).toBe(0);
    expect(kk.stdout).toContain('Есепке алынбайды: 24.03.2026 (сейсенбі) — 21.03.2026 сенбіге сәйкес келген мерекеден ауыстырылған демалыс күні: Наурыз мейрамы.');
    const plain = await merzim('due', 'sss-decision', '--start', '2026-03-19T15:20:00+05:00');
    expect(JSON.parse(plain.stdout)).not.toHaveProperty('explanation');
    expect(JSON.parse(plain.stdout).dueDate).toBe('2026-03-27');
    const wrong = await merzim('due', 'sss-decision', '--start', '2026-03-19T15:20:00+05:00', '--explain', '--lang', 'de');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--lang "de" is not one of kk, ru, en');
  });
});
