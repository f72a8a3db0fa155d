import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { VirtualClock } from '../../local/clock.ts';
import { type LocalSystem, startLocalSystem } from '../../local/system/index.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
let system: LocalSystem | undefined;

beforeAll(async () => {
  // The README's moment: the decision it opens is due three working days on, so it is open. On
  // the real clock it would fall overdue once that date passed, and be listed as overdue.
  system = await startLocalSystem({ clock: new VirtualClock('2026-11-23T15:30:00+05:00'), schedules: false, provision: false, log: () => {} });
}, 240_000);
afterAll(async () => {
  await system?.stop();
}, 60_000);

/** The README's curl lines, run as a reader would run them (only the port differs). */
test("the README's token and curl lines open an obligation and list it", { timeout: 120_000 }, async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /```sh\n(API=http:\/\/127\.0\.0\.1:4010[\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const script = block!.replace('http://127.0.0.1:4010', system!.apiUrl);
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: root });
  const [opened, listed] = stdout.trim().split('\n').map((line) => JSON.parse(line) as { obligations: { caseRef: string; dueAt: string; status: string }[] });
  expect(opened?.obligations).toEqual([expect.objectContaining({ caseRef: 'SSS-2026/041', status: 'open', dueAt: '2026-11-26T18:30:00+05:00' })]);
  expect(listed?.obligations.map((obligation) => obligation.caseRef)).toContain('SSS-2026/041');
});
