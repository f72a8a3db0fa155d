import type { VirtualClock } from '../clock.ts';
import type { LocalSystem } from './index.ts';

/**
 * Talks to a running local system only as its users do: through the HTTP API with a token, and
 * by reading the mail the local SES received. Scenario tests and `npm run demo` use it.
 */

export interface Mail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

interface StoredMail {
  readonly subject: string;
  readonly destination: { readonly to: readonly string[] };
  readonly body?: { readonly text?: string };
}

/** Who signs in, as in the demo directory. */
export const PEOPLE = {
  admin: { user: 'admin', groups: ['admin'], org: 'zko' },
  sss: { user: 'aliya.sss', groups: ['akimat-department'], org: 'zko-uralsk-akimat-sss' },
  burlinSss: { user: 'madina.sss', groups: ['akimat-department'], org: 'zko-burlin-akimat-sss' },
  sssHead: { user: 'serik.sss-head', groups: ['akimat-department-head'], org: 'zko-uralsk-akimat-sss' },
  burlinSssHead: { user: 'timur.sss-head', groups: ['akimat-department-head'], org: 'zko-burlin-akimat-sss' },
  inspector: { user: 'aigerim.inspector', groups: ['inspector'], org: 'zko-uralsk-police-dv' },
  secretary: { user: 'dana.secretary', groups: ['commission-secretary'], org: 'zko-uralsk-kdn' },
  unitHead: { user: 'yerlan.unit-head', groups: ['unit-head'], org: 'zko-uralsk-police-dv' },
  burlinInspector: { user: 'asel.inspector', groups: ['inspector'], org: 'zko-burlin-police-dv' },
  burlinUnitHead: { user: 'ruslan.unit-head', groups: ['unit-head'], org: 'zko-burlin-police-dv' },
  regionalHead: { user: 'berik.regional-head', groups: ['regional-head'], org: 'zko-police' },
  chair: { user: 'askar.chair', groups: ['commission-chair'], org: 'zko-uralsk-kdn' },
  school: { user: 'gulnara.school', groups: [], org: 'zko-uralsk-school-12' },
  shelterHead: { user: 'saule.shelter-head', groups: ['shelter-head'], org: 'zko-uralsk-crisis-centre' },
} as const;
export type Person = keyof typeof PEOPLE;

export interface ApiAnswer<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export class SystemClient {
  #mailSeen = 0;

  constructor(
    readonly system: LocalSystem<VirtualClock>,
    readonly clock: VirtualClock,
  ) {}

  async api<T = Record<string, unknown>>(person: Person, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    const token = await this.system.signToken(PEOPLE[person]);
    const response = await fetch(`${this.system.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T, headers: response.headers };
  }

  /** Opens obligations and returns them; fails the test unless the API says 201. */
  async open(person: Person, request: Record<string, unknown>): Promise<ObligationView[]> {
    const answer = await this.api<{ obligations: ObligationView[] }>(person, 'POST', '/obligations', request);
    if (answer.status !== 201) throw new Error(`POST /obligations → ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.obligations;
  }

  async record(person: Person, id: string, act: Record<string, unknown>): Promise<ObligationView> {
    const answer = await this.api<{ obligation: ObligationView }>(person, 'POST', `/obligations/${id}/events`, act);
    if (answer.status !== 200) throw new Error(`POST /obligations/${id}/events → ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.obligation;
  }

  async obligation(id: string): Promise<{ obligation: ObligationView; events: { type: string; at: string }[] }> {
    const answer = await this.api<{ obligation: ObligationView; events: { type: string; at: string }[] }>('admin', 'GET', `/obligations/${id}`);
    if (answer.status !== 200) throw new Error(`GET /obligations/${id} → ${answer.status}`);
    return answer.body;
  }

  /** Moves the clock to an instant (`2026-03-27T09:00+05:00`) and lets every timer due by then run. */
  async at(instant: string): Promise<void> {
    await this.clock.advanceTo(Date.parse(instant));
    await this.clock.settle();
  }

  /** Every mail the local SES holds. */
  async allMail(): Promise<Mail[]> {
    const store = (await (await fetch(`${this.system.mailViewerUrl}/store`)).json()) as { emails: StoredMail[] };
    return store.emails.map((mail) => ({ to: mail.destination.to, subject: mail.subject, text: mail.body?.text ?? '' }));
  }

  /** The mail that came since the last call. */
  async newMail(): Promise<Mail[]> {
    const all = await this.allMail();
    const fresh = all.slice(this.#mailSeen);
    this.#mailSeen = all.length;
    return fresh;
  }
}

export interface ObligationView {
  readonly id: string;
  readonly rule: string;
  readonly status: string;
  readonly org: string;
  readonly caseRef: string;
  readonly dueAt: string;
  readonly revision: number;
  readonly cycle: number;
  readonly parentId?: string;
  readonly plan: { readonly dueDate: string; readonly milestones: { id: string; at: string }[] };
  /** What a work list shows of the plan: a list's items carry it, and no plan. */
  readonly deadline: { readonly lastDay: string };
  readonly overdueGrounds?: { readonly names: { readonly kk: string; readonly ru: string; readonly en: string } };
  /** Where its timer stands: the revision, the segment running, and whether it finished. */
  readonly timer?: { readonly revision: number; readonly segment: number; readonly finished?: boolean };
}


/** The recipients of a list of mail, sorted, for exact comparison. */
export function recipients(mail: readonly Mail[]): string[] {
  return mail.flatMap((item) => item.to).sort();
}
