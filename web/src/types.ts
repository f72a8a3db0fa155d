import type { Act } from '../../shared/base/index.ts';
import type { ActField } from '../../shared/model/index.ts';

/** The acts and the fields they need are the API's own types (type-only: nothing of shared/ is bundled). */
export type { Act, ActField };

/** What the dashboard reads of the API's views (functions/api/views.ts); only the fields it uses. */
export interface Texts {
  readonly kk: string;
  readonly ru: string;
  readonly en: string;
}

export type Status = 'open' | 'overdue' | 'done' | 'expired' | 'cancelled' | 'suspended';

export interface Milestone {
  readonly id: string;
  readonly kind: 'reminder' | 'due' | 'expiry' | 'escalation';
  readonly at: string;
  readonly notify: readonly string[];
}

/** What a work list shows of the plan (the `deadline` of every obligation view). */
export interface Deadline {
  readonly lastDay: string;
  readonly movedFrom?: string;
  /** The deadline rests on days projected from the law, past the published calendar. */
  readonly provisional?: true;
  /** The due instant is an expiry (a protective order lapses), not a duty. */
  readonly expiry?: true;
  readonly escalations: readonly { readonly at: string; readonly notify: readonly string[] }[];
}

/** An obligation as a work list and the case view give it: no plan, its `deadline` instead. */
export interface ListedObligation {
  readonly id: string;
  readonly rule: string;
  readonly ruleName: Texts;
  readonly variant?: string;
  readonly caseRef: string;
  readonly org: string;
  readonly issuedBy?: string;
  readonly assignee?: string;
  readonly parentId?: string;
  readonly label?: string;
  readonly status: Status;
  readonly revision: number;
  readonly cycle: number;
  readonly start: string;
  readonly dueAt: string;
  readonly updatedAt: string;
  readonly closedAt?: string;
  readonly closedBy?: string;
  readonly deadline: Deadline;
  readonly overdueGrounds?: { readonly names: Texts; readonly source: { readonly act: string; readonly provision?: string; readonly cite?: Texts } };
  /** The last day the acting body asked for, awaiting the issuer's answer. */
  readonly requestedDueDate?: string;
  /** An order served again: the order it renews, and the one that renewed it. */
  readonly renewedFrom?: string;
  readonly renewedBy?: string;
  /** Breaches found at checks. */
  readonly violations?: number;
}

/** One obligation with its plan (GET /obligations/{id}, an act's answer). */
export interface Obligation extends ListedObligation {
  readonly plan: {
    readonly dueDate: string;
    readonly movedFrom?: string;
    /** The deadline rests on days projected from the law, past the published calendar. */
    readonly provisional?: true;
    readonly projectedDays?: readonly { readonly date: string; readonly working: boolean; readonly why: string }[];
    readonly actor: string;
    readonly milestones: readonly Milestone[];
    readonly overdueGrounds?: { readonly names: Texts };
    /** How the due date was counted, step by step (GET /obligations/{id} only). */
    readonly explanation?: { readonly steps: readonly ExplainedStep[] };
  };
}

export interface ObligationEvent {
  readonly seq: number;
  readonly type: string;
  readonly at: string;
  readonly recordedAt: string;
  readonly by: string;
  readonly revision: number;
  readonly cycle: number;
  readonly reason?: string;
  readonly note?: string;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
  /** A person's act recorded more than an hour after the time it is dated. */
  readonly backdated?: boolean;
}

/** An act this caller may record on this obligation now (GET /obligations/{id}, `allowedActs`). */
export interface AllowedAct {
  readonly act: Act;
  readonly needs: readonly ActField[];
}

/** GET /obligations/{id}. */
export interface ObligationDetail {
  readonly obligation: Obligation;
  readonly allowedActs: readonly AllowedAct[];
  readonly events: readonly ObligationEvent[];
  readonly notices: readonly Notice[];
}

export interface Notice {
  readonly milestone: string;
  readonly recipient: string;
  readonly role: string;
  readonly status: 'queued' | 'withdrawn' | 'pending' | 'sent' | 'bounced' | 'complained';
  readonly withdrawnBecause?: 'closed' | 'replanned';
  readonly sentAt?: string;
}

export interface Organisation {
  readonly org: string;
  readonly kind: string;
  readonly names: Texts;
  readonly parent?: string;
}

/** GET /obligations with `group`: one page, and where the group was cut. */
export interface GroupPage {
  readonly obligations: readonly ListedObligation[];
  readonly cursor?: string;
  readonly group: {
    readonly name: 'overdue' | 'week' | 'later';
    readonly asOf: string;
    readonly dueAfter?: string;
    readonly dueBy?: string;
    readonly total: number;
  };
}

/** One step of how a due date was counted, in the three languages, with the acts it rests on. */
export interface ExplainedStep {
  readonly kind: string;
  readonly date?: string;
  readonly text: Texts;
  readonly grounds: readonly Texts[];
}
