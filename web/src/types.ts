/** What the dashboard reads of the API's views (functions/api/views.ts); only the fields it uses. */
export interface Texts {
  readonly kk: string;
  readonly ru: string;
  readonly en: string;
}

export type Status = 'open' | 'overdue' | 'done' | 'expired' | 'cancelled';

export interface Milestone {
  readonly id: string;
  readonly kind: 'reminder' | 'due' | 'expiry' | 'escalation';
  readonly at: string;
  readonly notify: readonly string[];
}

export interface Obligation {
  readonly id: string;
  readonly rule: string;
  readonly ruleName: Texts;
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
  readonly closedAt?: string;
  readonly closedBy?: string;
  readonly plan: {
    readonly dueDate: string;
    readonly movedFrom?: string;
    readonly actor: string;
    readonly milestones: readonly Milestone[];
    readonly overdueGrounds?: { readonly names: Texts };
  };
  readonly overdueGrounds?: { readonly names: Texts; readonly source: { readonly act: string; readonly provision?: string } };
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
}

export interface Notice {
  readonly milestone: string;
  readonly recipient: string;
  readonly role: string;
  readonly status: 'pending' | 'sent' | 'bounced' | 'complained';
  readonly sentAt?: string;
}

export interface Organisation {
  readonly org: string;
  readonly kind: string;
  readonly names: Texts;
  readonly parent?: string;
}
