import type { DashboardConfig } from '../config.ts';
import { PERSONAL_DATA_KINDS, type PersonalDataKind } from '../../shared/base/index.ts';
import type { Session } from './session.ts';

/** A field the API names in a refusal (`{ message, issues: [{ path, message, personalData? }] }`). */
export interface ApiIssue {
  readonly path: string;
  readonly message: string;
  /** The kind of personal data the API found in the field, where that is why it refused. */
  readonly personalData?: PersonalDataKind;
}

/** The HTTP API with the signed-in user's bearer token. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: readonly ApiIssue[] = [],
    /** A 429's Retry-After, in seconds. */
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

/** How long a read refused with 429 is asked again before the page says so. */
const RETRY_READS_FOR_S = 60;

function retryAfter(response: Response): number {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isInteger(seconds) && seconds >= 1 ? Math.min(seconds, 30) : 1;
}

function issuesOf(value: unknown): ApiIssue[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((issue: unknown) => {
    if (typeof issue !== 'object' || issue === null) return [];
    const { path, message, personalData } = issue as { path?: unknown; message?: unknown; personalData?: unknown };
    if (typeof path !== 'string' || typeof message !== 'string') return [];
    const kind = PERSONAL_DATA_KINDS.find((one) => one === personalData);
    return [kind === undefined ? { path, message } : { path, message, personalData: kind }];
  });
}

export class Api {
  constructor(
    private readonly config: DashboardConfig,
    private readonly session: Session,
  ) {}

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const send = (): Promise<Response> =>
      fetch(`${this.config.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.session.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    let response = await send();
    // A head's page asks a list per unit under him, and a few redraws spend the person's
    // request bucket: a read refused for that waits the Retry-After and asks again, within a
    // bound, rather than blanking the page. A write is never sent twice.
    for (let waited = 0; response.status === 429 && method === 'GET' && waited < RETRY_READS_FOR_S; ) {
      const seconds = retryAfter(response);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000 + Math.random() * 500));
      waited += seconds;
      response = await send();
    }
    if (!response.ok) {
      let message = `${response.status}`;
      let issues: ApiIssue[] = [];
      try {
        const body = (await response.json()) as { message?: unknown; issues?: unknown };
        if (typeof body.message === 'string') message = body.message;
        issues = issuesOf(body.issues);
      } catch {
        // not JSON
      }
      throw new ApiError(response.status, message, issues, response.status === 429 ? retryAfter(response) : undefined);
    }
    return response;
  }

  async get<T>(path: string): Promise<T> {
    return (await (await this.request('GET', path)).json()) as T;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return (await (await this.request('POST', path, body)).json()) as T;
  }

  async blob(path: string): Promise<Blob> {
    return (await this.request('GET', path)).blob();
  }

  /** Every page of a work list (`/obligations?...`), up to `most` pages. */
  async list<T>(query: Record<string, string>, most = 10): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < most; page++) {
      const search = new URLSearchParams({ ...query, limit: '100', ...(cursor === undefined ? {} : { cursor }) });
      const answer = await this.get<{ obligations: T[]; cursor?: string }>(`/obligations?${search.toString()}`);
      items.push(...answer.obligations);
      cursor = answer.cursor;
      if (cursor === undefined) break;
    }
    return items;
  }
}

/** Now, as the system reads it: the local system's clock may be virtual or sped up. */
export async function systemNow(config: DashboardConfig): Promise<number> {
  if (config.clockUrl === undefined) return Date.now();
  try {
    const response = await fetch(config.clockUrl);
    return ((await response.json()) as { now: number }).now;
  } catch {
    return Date.now();
  }
}
