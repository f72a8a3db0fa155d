import { decodeJwt } from 'jose';
import { expect, test } from 'vitest';
import { main } from '../../cli/main.ts';
import { ScaledClock } from '../../local/index.ts';

async function run(...argv: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { status, out, err };
}

test('merzim token prints one token for the first demo user of the role', async () => {
  const { status, out } = await run('token', '--role', 'inspector', '--hours', '2');
  expect(status).toBe(0);
  expect(out).toHaveLength(1);
  const claims = decodeJwt(out[0] ?? '');
  expect(claims).toMatchObject({ 'cognito:username': 'aigerim.inspector', token_use: 'id', 'cognito:groups': ['inspector'], 'custom:org': 'zko-uralsk-police-dv', iss: 'merzim-local' });
  expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(7200);
  expect(decodeJwt((await run('token', '--role', 'admin')).out[0] ?? '')).toMatchObject({ 'cognito:username': 'admin', 'custom:org': 'zko' });
  expect(decodeJwt((await run('token', '--role', 'inspector', '--user', 'asel.inspector')).out[0] ?? '')).toMatchObject({ 'custom:org': 'zko-burlin-police-dv' });
});

test('merzim token and merzim start refuse bad input with one line and status 2', async () => {
  for (const argv of [
    ['token'],
    ['token', '--role', 'akim'],
    ['token', '--role', 'inspector', '--hours', '-1'],
    ['token', '--role', 'inspector', '--user', 'nobody.here'],
    ['token', '--role', 'inspector', '--bogus'],
    ['start', '--speed', 'fast'],
    ['start', '--port', '70000'],
  ]) {
    const { status, err, out } = await run(...argv);
    expect(status, argv.join(' ')).toBe(2);
    expect(err).toHaveLength(1);
    expect(out).toEqual([]);
  }
});

test('a scaled clock runs N times faster from its origin and wakes at the scaled instant', async () => {
  let real = 1_000_000;
  const clock = new ScaledClock(60, Date.parse('2026-03-19T00:00:00Z'), () => real);
  expect(new Date(clock.now()).toISOString()).toBe('2026-03-19T00:00:00.000Z');
  real += 1_000;
  expect(new Date(clock.now()).toISOString()).toBe('2026-03-19T00:01:00.000Z');
  expect(() => new ScaledClock(0)).toThrow(RangeError);

  const fast = new ScaledClock(1_000);
  const woke = await new Promise<number>((resolve) => {
    const target = fast.now() + 50_000; // 50 s scaled, 50 ms real
    fast.schedule(target, async () => resolve(fast.now() - target));
  });
  expect(woke).toBeGreaterThanOrEqual(0);
  expect(woke).toBeLessThan(1_000_000);
});
