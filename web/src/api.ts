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
  ) {
    super(message);
  }
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
    const response = await fetch(`${this.config.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.session.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
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
      throw new ApiError(response.status, message, issues);
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
