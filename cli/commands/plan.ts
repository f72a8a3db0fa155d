import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type ActionPlan,
  type ActionPlanError,
  type ActionPlanResult,
  openingsOf,
  parseActionPlanCsv,
  parseActionPlanJson,
} from '../../shared/action-plans/index.ts';
import { type Command, type CommandHelp, UsageError } from '../command.ts';

/** Where `npm start` says where its API listens (field `apiUrl`): in the working tree, git-ignored. */
const defaultRuntimeFile = fileURLToPath(new URL('../../.local/runtime.json', import.meta.url));

export interface PlanCommandOptions {
  /** The embedded runtime's `runtime.json`, read for the API's URL when `--api` is not given. */
  readonly runtimeFile: string;
  /** Read for `MERZIM_TOKEN` when `--token` is not given. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

const PLAN_FLAGS = ['plan', 'issued-by', 'from', 'until'] as const;

export const planOptions = {
  plan: { type: 'string' },
  'issued-by': { type: 'string' },
  from: { type: 'string' },
  until: { type: 'string' },
  api: { type: 'string' },
  token: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
} as const;

export const planHelp: CommandHelp<typeof planOptions> = {
  synopsis: 'plan import FILE [--plan REF --issued-by ORG --from DATE --until DATE] [--api URL] [--token T] [--dry-run]',
  about: 'checks an interagency action plan (JSON, or CSV with the plan\'s fields as flags) and opens its obligations; any error opens nothing',
  options: {
    plan: { value: 'REF', help: 'a CSV plan\'s reference' },
    'issued-by': { value: 'ORG', help: 'the unit that issued a CSV plan' },
    from: { value: 'DATE', help: 'the first day of a CSV plan\'s period' },
    until: { value: 'DATE', help: 'the last day of a CSV plan\'s period' },
    api: { value: 'URL', help: 'the API (default: the one merzim start wrote in .local/runtime.json)' },
    token: { value: 'T', help: 'a bearer token (default: MERZIM_TOKEN)' },
    'dry-run': { help: 'print the obligations it would open, one JSON line each, and open nothing' },
  },
};

/**
 * `merzim plan import FILE`: reads an interagency action plan (JSON, or CSV with the plan-level
 * fields given as flags), checks every row, and sends it to `POST <api>/action-plans`; with
 * `--dry-run` prints the obligations it would open, one JSON line each. A plan with any error
 * opens nothing: one line per error on stderr, exit status 2.
 */
export function makePlanCommand(options: PlanCommandOptions): Command {
  return async (args, io) => {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: planOptions,
    });
    const [action, file, ...extra] = positionals;
    if (action !== 'import') throw new UsageError(action === undefined ? 'give a subcommand: `merzim plan import FILE`' : `unknown subcommand "${action}" (known: import)`);
    if (file === undefined) throw new UsageError('give the plan file: `merzim plan import FILE.csv --plan REF --issued-by ORG --from DATE --until DATE`');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0] ?? ''}"`);

    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }

    const given = PLAN_FLAGS.filter((flag) => values[flag] !== undefined);
    let result: ActionPlanResult;
    if (isJson(file, text)) {
      if (given.length > 0) {
        throw new UsageError(`a JSON plan carries plan, issuedBy, from and until itself: leave out ${given.map((flag) => `--${flag}`).join(', ')}`);
      }
      result = parseActionPlanJson(text);
    } else {
      const missing = PLAN_FLAGS.filter((flag) => values[flag] === undefined);
      if (missing.length > 0) {
        throw new UsageError(`a CSV plan needs --plan REF, --issued-by ORG, --from DATE and --until DATE (missing: ${missing.map((flag) => `--${flag}`).join(', ')})`);
      }
      result = parseActionPlanCsv(text, {
        plan: values.plan ?? '',
        issuedBy: values['issued-by'] ?? '',
        from: values.from ?? '',
        until: values.until ?? '',
      });
    }

    if (!result.ok) {
      for (const error of result.errors) io.err(errorLine(error));
      return 2;
    }
    if (values['dry-run']) {
      for (const opening of openingsOf(result.plan)) io.out(JSON.stringify(opening));
      return 0;
    }
    return send(result.plan, await target(values.api, values.token, options), io);
  };
}

export const planCommand: Command = makePlanCommand({ runtimeFile: defaultRuntimeFile, env: process.env });

/** `row 7, deadline: expected …`; the plan's own fields (the flags, for CSV) as `plan, until: …`. */
export function errorLine(error: ActionPlanError): string {
  return `${error.row === 0 ? 'plan' : `row ${error.row}`}, ${error.field}: ${error.message}`;
}

function isJson(file: string, text: string): boolean {
  const extension = extname(file).toLowerCase();
  if (extension === '.json') return true;
  if (extension === '.csv') return false;
  return text.replace(/^\uFEFF/, '').trimStart().startsWith('{');
}

async function target(
  api: string | undefined,
  token: string | undefined,
  { runtimeFile, env }: PlanCommandOptions,
): Promise<{ url: URL; token: string }> {
  const apiUrl = api ?? (await runtimeApiUrl(runtimeFile));
  const bearer = token ?? env.MERZIM_TOKEN;
  if (apiUrl === undefined || bearer === undefined || bearer === '') {
    const lacking = [
      ...(apiUrl === undefined ? ['no API URL (--api URL, or .local/runtime.json: run `npm start`)'] : []),
      ...(bearer === undefined || bearer === '' ? ['no token (--token TOKEN, or MERZIM_TOKEN: run `npx merzim token --role admin`)'] : []),
    ];
    throw new UsageError(`${lacking.join(' and ')}; or use --dry-run to see the obligations without sending`);
  }
  let url: URL;
  try {
    url = new URL(`${apiUrl.replace(/\/+$/, '')}/action-plans`);
  } catch {
    throw new UsageError(`"${apiUrl}" is not a URL`);
  }
  return { url, token: bearer };
}

async function runtimeApiUrl(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const runtime: unknown = JSON.parse(text);
    const apiUrl = typeof runtime === 'object' && runtime !== null ? (runtime as { apiUrl?: unknown }).apiUrl : undefined;
    return typeof apiUrl === 'string' && apiUrl !== '' ? apiUrl : undefined;
  } catch {
    return undefined;
  }
}

/** POSTs the plan; the body's hash is the idempotency key, so sending the same plan twice is safe where the API honours it. */
async function send(plan: ActionPlan, { url, token }: { url: URL; token: string }, io: Parameters<Command>[1]): Promise<number> {
  const body = JSON.stringify({ plan: plan.plan, issuedBy: plan.issuedBy, from: plan.from, until: plan.until, items: plan.items });
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        // base64url, not hex: a hex digest holds 12 digits in a row often enough for the API to refuse it as an IIN.
        'idempotency-key': `action-plan-${createHash('sha256').update(body).digest('base64url').slice(0, 32)}`,
      },
      body,
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    io.err(`merzim plan: cannot reach the API at ${url.origin} (${reason}): is \`npm start\` running? Nothing was opened.`);
    return 1;
  }
  const answer = await response.text();
  if (response.ok) {
    io.out(answer.replace(/\n$/, ''));
    return 0;
  }
  io.err(`merzim plan: the API answered ${response.status}: ${apiMessage(answer) ?? response.statusText}`);
  return 1;
}

function apiMessage(answer: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(answer);
    const message = typeof parsed === 'object' && parsed !== null ? (parsed as { message?: unknown }).message : undefined;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: the text itself
  }
  const text = answer.trim().replace(/\s+/g, ' ');
  return text === '' ? undefined : text.slice(0, 500);
}
