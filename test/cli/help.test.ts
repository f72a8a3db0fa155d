import { describe, expect, it, vi } from 'vitest';
import { calendarOptions } from '../../cli/commands/calendar.ts';
import { demoOptions } from '../../cli/commands/demo.ts';
import { dueOptions } from '../../cli/commands/due.ts';
import { localOptions } from '../../cli/commands/local.ts';
import { planOptions } from '../../cli/commands/plan.ts';
import { rulesOptions } from '../../cli/commands/rules.ts';
import { startOptions } from '../../cli/commands/start.ts';
import { tokenOptions } from '../../cli/commands/token.ts';
import { commands, main } from '../../cli/main.ts';
import { merzim } from './bin.ts';

// The real bin starts node, tsx and the catalog: seconds on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

/** The options each command hands to parseArgs: its --help must name every one. */
const optionsOf: Readonly<Record<string, object>> = {
  due: dueOptions,
  calendar: calendarOptions,
  rules: rulesOptions,
  local: localOptions,
  start: startOptions,
  token: tokenOptions,
  plan: planOptions,
  demo: demoOptions,
};

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('merzim COMMAND --help', () => {
  it('knows the options of every command', () => {
    expect(Object.keys(optionsOf).sort()).toEqual(Object.keys(commands).sort());
  });

  it.each(Object.keys(optionsOf))('%s --help prints its usage with every option and exits 0, doing nothing else', async (name) => {
    for (const flag of ['--help', '-h']) {
      const { code, out, err } = await run(name, flag);
      expect({ code, err }).toEqual({ code: 0, err: [] });
      const text = out.join('\n');
      expect(text.startsWith(`usage: merzim ${name}`)).toBe(true);
      for (const option of Object.keys(optionsOf[name] ?? {})) expect(text, `--${option}`).toMatch(new RegExp(`^  --${option}\\b.*\\S`, 'm'));
      expect(text).toMatch(/^ {2}--help\b/m);
    }
  });

  it('due --help names --due-date, even with other arguments and no --start', async () => {
    const { code, out } = await run('due', 'sss-decision', '--help');
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('[--due-date YYYY-MM-DD]');
    expect(out.join('\n')).toMatch(/^ {2}--due-date YYYY-MM-DD +the last day the document sets/m);
  });

  it('merzim --help lists every command, due with --due-date', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    const text = out.join('\n');
    for (const name of Object.keys(commands)) expect(text).toMatch(new RegExp(`^ {2}${name}\\b`, 'm'));
    expect(text).toContain('--due-date');
  });
});

describe('the real bin', () => {
  it.each([['due'], ['token']])('npx merzim %s --help exits 0 with its usage on stdout', async (name) => {
    const { code, stdout, stderr } = await merzim(name, '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^usage: merzim ${name} `));
    expect(stderr).toBe('');
  });
});
