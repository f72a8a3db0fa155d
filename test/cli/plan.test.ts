import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makePlanCommand } from '../../cli/commands/plan.ts';
import { UsageError } from '../../cli/command.ts';
import { IdempotencyKeySchema } from '../../functions/api/schemas.ts';
import { merzimIn } from './bin.ts';

// Each case starts the real bin (tsx compiles on the fly): room for a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
/** The sample plan the README's import example uses (seed 002's items, as CSV). */
const SAMPLE_CSV = fileURLToPath(new URL('../../docs/action-plan-zko.csv', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const flags = ['--plan', 'ZKO-IAP-2020', '--issued-by', 'zko-uralsk-kdn', '--from', '2026-01-01', '--until', '2029-12-31'];

/** Runs the real `merzim` bin, as `npx merzim` does, without a token in its environment. */
const merzim = merzimIn({ env: Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'MERZIM_TOKEN')), cwd: ROOT });
const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

describe('merzim plan import --dry-run', () => {
  it('the README\'s CSV example runs as written, on the sample in docs/', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = readme.split('\n').find((line) => line.startsWith('npx merzim plan import docs/'));
    expect(example).toBeDefined();
    const args = (example ?? '').replace(/\s+#.*$/, '').split(/\s+/).slice(2);
    const { code, stdout, stderr } = await merzim(...args);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(lines(stdout).length).toBeGreaterThan(10);
  });

  it('prints one JSON line per obligation of the seed plan, every item of it, the same from CSV and JSON', async () => {
    const csv = await merzim('plan', 'import', SAMPLE_CSV, ...flags, '--dry-run');
    expect(csv.code).toBe(0);
    expect(csv.stderr).toBe('');
    const openings = lines(csv.stdout).map((line) => JSON.parse(line));
    expect(openings).toHaveLength(81);
    expect(openings.every((opening) => opening.rule === 'action-plan-item' && opening.issuedBy === 'zko-uralsk-kdn')).toBe(true);
    expect(new Set(openings.map((opening) => opening.label)).size).toBe(36);
    expect(openings.find((opening) => opening.caseRef === 'ZKO-IAP-2020/31')).toMatchObject({ variant: 'by-date', dueDate: '2026-08-25', until: '2029-12-31' });
    // "қыркүйек–қазан": from 1 September, two months, each year
    expect(openings.find((opening) => opening.caseRef === 'ZKO-IAP-2020/13')).toMatchObject({ variant: 'window', start: '2026-09-01T00:00:00+05:00', count: 2 });
    // "2020–2021 жж. ай сайын", moved six years on
    expect(openings.find((opening) => opening.caseRef === 'ZKO-IAP-2020/10')).toMatchObject({ variant: 'monthly', until: '2027-12-31' });
    expect(openings.at(-1)).toEqual({
      rule: 'action-plan-item',
      variant: 'permanent',
      caseRef: 'ZKO-IAP-2020/36',
      org: 'zko-police',
      issuedBy: 'zko-uralsk-kdn',
      start: '2026-01-01T00:00:00+05:00',
      until: '2029-12-31',
      label: '36',
      title: 'Өмірлік қиын жағдайға тап болған балаларға қолдау мен көмек көрсететін, оның ішінде адамгершілік-жыныстық тәрбие мәселелері жөніндегі қызметтер мен ұйымдардың тізбесін байланыс деректерімен бірге БАҚ-та орналастыруды қамтамасыз ету',
    });
    const json = await merzim('plan', 'import', fixture('action-plan-zko-2020.json'), '--dry-run');
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(csv.stdout);
  });
});

describe('merzim plan import: refused', () => {
  it('prints one line per error of the bad CSV, exits 2 and opens nothing', async () => {
    const { code, stdout, stderr } = await merzim('plan', 'import', fixture('action-plan-bad.csv'), ...flags, '--api', 'http://127.0.0.1:1', '--token', 't');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const errors = lines(stderr);
    expect(errors).toHaveLength(12);
    expect(errors).toContain('row 7, deadline: expected monthly, quarterly, yearly, permanent, months:MM or months:MM-MM, yearly:MM-DD or a date');
    expect(errors).toContain('row 6, responsible: "zko-police" is already responsible for item 1 (row 2)');
    expect(errors.map((line) => line.split(':')[0])).toEqual([
      'row 3, item',
      'row 4, responsible',
      'row 5, responsible',
      'row 6, responsible',
      'row 7, deadline',
      'row 8, deadline',
      'row 9, title',
      'row 12, deadline',
      'row 13, csv',
      'row 14, deadline',
      'row 15, deadline',
      'row 15, responsible',
    ]);
  });

  it('says a plan beyond the calendar is refused, and which plan-level flag is wrong', async () => {
    const late = await merzim('plan', 'import', SAMPLE_CSV, ...flags.slice(0, 6), '--until', '2038-06-30', '--dry-run');
    expect(late.code).toBe(2);
    // the 2038 periods of recurring items and the windows opening by 30 June 2038, past the horizon (2037-12-31);
    // the windows from September, and 25 August 2038, are after `until`, so they are not asked for;
    // items 1, 9, 10 and 12 (rows 2, 10, 11, 13) end with their own years
    const asked = [3, 4, 5, 6, 7, 8, 9, 12, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36, 37];
    expect(lines(late.stderr).map((line) => line.split(',')[0])).toEqual(asked.map((row) => `row ${row}`));
    expect(lines(late.stderr)).toContainEqual(expect.stringMatching(/^row 19, deadline: the window from 2038-01-01 cannot be counted/));
    expect(lines(late.stderr)[0]).toMatch(/^row 3, deadline: the yearly period from 2038-01-01 cannot be counted: .*calendar's horizon, 2037-12-31/);
    const backwards = await merzim('plan', 'import', SAMPLE_CSV, ...flags.slice(0, 6), '--until', '2025-12-31', '--dry-run');
    expect(lines(backwards.stderr)).toEqual(['plan, until: until 2025-12-31 is before from 2026-01-01']);
  });

  it.each([
    [['plan'], /give a subcommand/],
    [['plan', 'export', 'x.csv'], /unknown subcommand "export"/],
    [['plan', 'import'], /give the plan file/],
    [['plan', 'import', 'no-such-plan.csv', '--dry-run'], /cannot read no-such-plan.csv: ENOENT/],
    [['plan', 'import', SAMPLE_CSV, '--plan', 'P-1', '--dry-run'], /missing: --issued-by, --from, --until/],
    [['plan', 'import', fixture('action-plan-zko-2020.json'), '--from', '2026-01-01', '--dry-run'], /leave out --from/],
  ])('%j exits 2 with one line that says what is wrong', async (args, message) => {
    const { code, stdout, stderr } = await merzim(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});

describe('merzim plan import: sending', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    server = undefined;
  });

  /** A stand-in for the API on this machine: answers every request with `status` and `body`. */
  async function fakeApi(status: number, body: string): Promise<{ url: string; requests: { request: IncomingMessage; body: string }[] }> {
    const requests: { request: IncomingMessage; body: string }[] = [];
    server = createServer((request, response) => {
      let text = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (text += chunk));
      request.on('end', () => {
        requests.push({ request, body: text });
        response.writeHead(status, { 'content-type': 'application/json' }).end(body);
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server?.address() as AddressInfo).port}`, requests };
  }

  it('POSTs the plan to <api>/action-plans with the token and prints the answer', async () => {
    const api = await fakeApi(201, '{"opened":81}');
    const { code, stdout, stderr } = await merzim('plan', 'import', SAMPLE_CSV, ...flags, '--api', `${api.url}/`, '--token', 'tok-123');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe('{"opened":81}\n');
    expect(api.requests).toHaveLength(1);
    const [{ request, body }] = api.requests as [{ request: IncomingMessage; body: string }];
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/action-plans');
    expect(request.headers.authorization).toBe('Bearer tok-123');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['idempotency-key']).toMatch(/^action-plan-[A-Za-z0-9_-]{32}$/);
    // The key the CLI makes is one the API takes (a hex digest would at times read as an IIN).
    expect(IdempotencyKeySchema.safeParse(request.headers['idempotency-key']).success).toBe(true);
    const sent = JSON.parse(body);
    expect(Object.keys(sent)).toEqual(['plan', 'issuedBy', 'from', 'until', 'items']);
    expect(sent).toMatchObject({ plan: 'ZKO-IAP-2020', issuedBy: 'zko-uralsk-kdn', from: '2026-01-01', until: '2029-12-31' });
    expect(sent.items).toHaveLength(36);
    expect(sent.items[8]).toMatchObject({ item: '9', deadline: 'quarterly', years: '2026-2028' });
  });

  it('exits 1 with the API\'s message when it refuses', async () => {
    const api = await fakeApi(403, '{"message":"an admin token is required"}');
    const { code, stdout, stderr } = await merzim('plan', 'import', fixture('action-plan-zko-2020.json'), '--api', api.url, '--token', 'tok');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(lines(stderr)).toEqual(['merzim plan: the API answered 403: an admin token is required']);
  });

  it('exits 1 with a clear line when no API is reachable', async () => {
    const api = await fakeApi(200, '{}');
    const closed = api.url;
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    const { code, stdout, stderr } = await merzim('plan', 'import', fixture('action-plan-zko-2020.json'), '--api', closed, '--token', 'tok');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/^merzim plan: cannot reach the API at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): is `npm start` running\? Nothing was opened\./);
  });

  it('without an API URL or a token, says to run npm start and npx merzim token --role admin', async () => {
    const out: string[] = [];
    const io = { out: (line: string) => out.push(line), err: (line: string) => out.push(line) };
    const command = makePlanCommand({ runtimeFile: fileURLToPath(new URL('./no-such-runtime.json', import.meta.url)), env: {} });
    const file = fixture('action-plan-zko-2020.json');
    await expect(command(['import', file], io)).rejects.toThrow(UsageError);
    await expect(command(['import', file], io)).rejects.toThrow(/no API URL .*run `npm start`.* and no token .*run `npx merzim token --role admin`/);
    await expect(command(['import', file, '--api', 'http://127.0.0.1:1'], io)).rejects.toThrow(/^no token \(--token TOKEN, or MERZIM_TOKEN: run `npx merzim token --role admin`\)/);
    expect(out).toEqual([]);
    // through the bin: one line, exit status 2
    const { code, stderr } = await merzim('plan', 'import', file, '--api', 'http://127.0.0.1:1');
    expect(code).toBe(2);
    expect(lines(stderr)).toEqual([expect.stringMatching(/^merzim plan: no token .*npx merzim token --role admin/)]);
  });

  it('reads the API URL from .local/runtime.json and the token from MERZIM_TOKEN', async () => {
    const api = await fakeApi(200, '{"ok":true}');
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const runtimeFile = join(await mkdtemp(join(tmpdir(), 'merzim-plan-')), 'runtime.json');
    await writeFile(runtimeFile, JSON.stringify({ apiUrl: api.url }));
    const out: string[] = [];
    const command = makePlanCommand({ runtimeFile, env: { MERZIM_TOKEN: 'from-env' } });
    const code = await command(['import', fixture('action-plan-zko-2020.json')], { out: (line) => out.push(line), err: (line) => out.push(line) });
    expect(code).toBe(0);
    expect(out).toEqual(['{"ok":true}']);
    expect(api.requests[0]?.request.headers.authorization).toBe('Bearer from-env');
  });
});
