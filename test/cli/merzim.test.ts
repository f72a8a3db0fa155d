import { describe, expect, it, vi } from 'vitest';
import { merzim } from './bin.ts';

// Each test starts the real bin (node, tsx and the catalog) once or more: seconds each on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

describe('merzim due', () => {
  it('prints the plan of an sss-decision as JSON', async () => {
    const { code, stdout } = await merzim('due', 'sss-decision', '--start', '2026-03-19T15:20:00+05:00');
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan).toMatchObject({ rule: 'sss-decision', start: '2026-03-19T15:20:00+05:00', dueDate: '2026-03-27', dueAt: '2026-03-27T18:30:00+05:00' });
    expect(plan.milestones[0]).toEqual({ id: 'reminder-1', kind: 'reminder', at: '2026-03-27T09:00:00+05:00', notify: ['akimat-department'] });
    expect(stdout).toContain('"dueDate": "2026-03-27"');
  });

  it('prints the expiry of a protective order, reading an instant without offset as +05:00', async () => {
    const withOffset = await merzim('due', 'protective-order', '--start', '2026-02-27T22:15:00+05:00');
    expect(withOffset.stdout).toContain('"dueAt": "2026-03-29T22:15:00+05:00"');
    const without = await merzim('due', 'protective-order', '--start', '2026-02-27T22:15');
    expect(JSON.parse(without.stdout).dueAt).toBe('2026-03-29T22:15:00+05:00');
  });

  it('takes a variant, a count and a set due date', async () => {
    const quarter = await merzim('due', 'unit-quarterly-report', '--start', '2025-12-31', '--variant', 'region');
    expect(JSON.parse(quarter.stdout)).toMatchObject({ variant: 'region', dueDate: '2026-01-12' });
    const court = await merzim('due', 'special-requirements', '--start', '2026-04-10T12:00', '--count', '6');
    expect(JSON.parse(court.stdout).dueDate).toBe('2026-10-10');
    const item = await merzim('due', 'action-plan-item', '--variant', 'by-date', '--due-date', '2026-08-25', '--start', '2026-01-10T00:00');
    expect(JSON.parse(item.stdout).dueDate).toBe('2026-08-25');
  });

  it('dates the quarterly report: the first quarter ends at 2026-03-31T19:00:00Z, the region reports by 10 April', async () => {
    const { code, stdout } = await merzim('due', 'unit-quarterly-report', '--variant', 'region', '--start', '2026-03-31T19:00:00Z');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ variant: 'region', start: '2026-04-01T00:00:00+05:00', dueDate: '2026-04-10', dueAt: '2026-04-10T18:30:00+05:00' });
  });

  it('prints a 12-month court term from June 2027 due in 2028, marked provisional with the projected day it rests on', async () => {
    const { code, stdout, stderr } = await merzim('due', 'special-requirements', '--start', '2027-06-01T10:00:00+05:00', '--count', '12');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const plan = JSON.parse(stdout);
    expect(plan).toMatchObject({ rule: 'special-requirements', dueDate: '2028-06-01', dueAt: '2028-06-02T00:00:00+05:00', provisional: true });
    expect(plan.projectedDays).toEqual([{ date: '2028-06-01', working: true, basis: 'law', why: expect.stringContaining('no calendar for 2028 is published yet') }]);
  });

  it('marks no plan inside the published calendar provisional', async () => {
    const plan = JSON.parse((await merzim('due', 'sss-decision', '--start', '2027-12-27T10:00')).stdout);
    expect(plan.dueDate).toBe('2027-12-30');
    expect(plan).not.toHaveProperty('provisional');
    expect(plan).not.toHaveProperty('projectedDays');
  });

  it.each([
    [['due', 'no-such-rule', '--start', '2026-03-19T15:20'], /unknown rule "no-such-rule"/],
    [['due', 'sss-decision', '--start', '19.03.2026'], /"19.03.2026" is not an instant/],
    [['due', 'sss-decision', '--start', '2026-02-30T10:00'], /no such calendar date/],
    [['due', 'sss-decision'], /--start INSTANT is required/],
    [['due', 'sss-decision', '--start', '2038-06-01T10:00'], /^merzim due: 2038-06-01 is past the calendar's horizon, 2037-12-31: .*published to 2027-12-31 and projected from the law 10 years further/],
    [['due', 'special-requirements', '--start', '2037-06-01T10:00', '--count', '12'], /past the calendar's horizon, 2037-12-31/],
    [['due', 'sss-decision', '--start', '2023-06-01T10:00'], /before 2024-03-01, when Kazakhstan moved to one time zone/],
    [['due', 'official-warning', '--start', '2025-12-01T10:00:00+05:00'], /^merzim due: official-warning is in force from 2026-03-02, by Law of the RK No\. 245-VIII of 30\.12\.2025 "On prevention of offences": a start on 2025-12-01 is before it$/],
    [['due', 'unit-quarterly-report', '--start', '2025-03-31T00:00'], /^merzim due: unit-quarterly-report is in force from 2025-04-30, by Order of the Minister of Internal Affairs of the RK No\. 352 of 30\.04\.2025/],
    [['due', 'sss-decision', '--start', '2026-03-19T15:20', '--bogus'], /Unknown option '--bogus'/],
    [['due', 'special-requirements', '--start', '2026-04-10T12:00'], /set per case/],
    [['calendar', '--year', '2038'], /no calendar for 2038: .*projected from the law to 2037/],
    [['calendar', '--year', 'twenty'], /not a year/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('%j exits 2 with one line that says what is wrong', async (args, message) => {
    const { code, stdout, stderr } = await merzim(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((line) => line.startsWith('merzim'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});

describe('merzim calendar', () => {
  it('lists a projected year as such, with why each weekday is off', async () => {
    const { code, stdout } = await merzim('calendar', '--year', '2028');
    expect(code).toBe(0);
    const year = JSON.parse(stdout);
    expect(year.nonWorkingWeekdays).toEqual(expect.arrayContaining(['2028-01-03', '2028-01-04', '2028-05-04', '2028-12-18']));
    expect(year.projected.why).toMatch(/^no calendar for 2028 is published \(the data ends on 2027-12-31\)/);
    expect(year.projected.days.map((day: { date: string }) => day.date)).toEqual(year.nonWorkingWeekdays);
    expect(year.projected.days.find((day: { date: string }) => day.date === '2028-05-04')).toMatchObject({ basis: 'computed', why: expect.stringMatching(/^Kurban Ait ⚠ provisional/) });
  });

  it('lists 2026 with Nauryz transfers and without 31 August', async () => {
    const { code, stdout } = await merzim('calendar', '--year', '2026');
    expect(code).toBe(0);
    const year = JSON.parse(stdout);
    expect(Object.keys(year)).toEqual(['year', 'nonWorkingWeekdays', 'workingWeekendDays']);
    expect(year.year).toBe(2026);
    expect(year.nonWorkingWeekdays).toEqual(expect.arrayContaining(['2026-03-23', '2026-03-24', '2026-03-25']));
    expect(year.nonWorkingWeekdays).not.toContain('2026-08-31');
    expect(year.workingWeekendDays).toEqual([]);
  });
});

describe('merzim rules', () => {
  it('prints the catalog with sources', async () => {
    const { code, stdout } = await merzim('rules');
    expect(code).toBe(0);
    const rules = JSON.parse(stdout);
    expect(rules).toHaveLength(11);
    expect(rules[0]).toMatchObject({ id: 'sss-decision', counting: { period: { unit: 'working-days', count: 3 } } });
    expect(rules.every((rule: { sources: unknown[] }) => rule.sources.length > 0)).toBe(true);
  });
});
