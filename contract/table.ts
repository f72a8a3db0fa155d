/**
 * What the work-list indexes copy of an obligation besides the keys: what a card shows, and what
 * the indexes' other readers filter, count and report by (a case search's `caseRef`, the
 * quarterly report's `tally`, the digest's rule and due instant). Never the plan: a list shows
 * what it needs of it from `deadline`, which the store keeps on the item for the lists, and the
 * plan itself comes with the obligation (GET /obligations/{id}). An attribute not named here is
 * not in the indexes: a field the lists come to need is added here, and the indexes follow.
 */
export const LISTED_ATTRIBUTES = [
  'id',
  'rule',
  'ruleVersion',
  'variant',
  'caseRef',
  'org',
  'issuedBy',
  'assignee',
  'parentId',
  'label',
  'status',
  'revision',
  'cycle',
  'start',
  'dueAt',
  'updatedAt',
  'closedAt',
  'closedBy',
  'requestedDueDate',
  'renewedFrom',
  'renewedBy',
  'violations',
  'tally',
  'deadline',
] as const;

/** What an index copies of an item besides its keys: every attribute, none, or those named. */
export type IndexProjection = 'ALL' | 'KEYS_ONLY' | readonly string[];

/** The table: keys `pk`/`sk`, six indexes, TTL on `expiresAt`, a stream of new and old images. */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttl: 'expiresAt',
  /** The item's copy of what a work list shows of an obligation's plan (LISTED_ATTRIBUTES). */
  deadline: 'deadline',
  /**
   * The table's stream: each changed item as it now is and as it was, so that the `start`
   * function tells a new revision (a new timer to start) from any other write of an obligation.
   */
  stream: 'NEW_AND_OLD_IMAGES',
  indexes: {
    /** Obligations of an organisation unit in a state, by due instant. */
    byOrg: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: LISTED_ATTRIBUTES },
    /** Obligations of an assignee in a state, by due instant. */
    byAssignee: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: LISTED_ATTRIBUTES },
    /** Obligations a commission (or another issuer) is waiting on, in a state, by due instant. */
    byIssuer: { partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: LISTED_ATTRIBUTES },
    /** Every obligation of one case reference, open or closed, by due instant: the case view. */
    byCase: { partitionKey: 'gsi4pk', sortKey: 'gsi4sk', projection: LISTED_ATTRIBUTES },
    /** Sparse: obligations that still need a timer, in a few shards, for the reconciler (their ids are the sort key). */
    live: { partitionKey: 'livePk', sortKey: 'liveSk', projection: 'KEYS_ONLY' },
    /** Sparse: the outbox's lists (`noticeLists`), whose readers take whole notices. */
    notices: { partitionKey: 'noticeListPk', sortKey: 'noticeListSk', projection: 'ALL' },
  },
  /**
   * The outbox's two lists, each one partition of the `notices` index: `failed`, the dead-letter
   * list (notices whose last attempt failed, oldest milestone first); `queued`, the morning
   * mail's queue (by recipient, then milestone).
   */
  noticeLists: { index: 'notices', failed: 'NOTICES#failed', queued: 'NOTICES#queued' },
} as const satisfies {
  indexes: Record<string, { partitionKey: string; sortKey: string; projection: IndexProjection }>;
  [key: string]: unknown;
};

/** An index's projection as CloudFormation and DynamoDB's CreateTable take it. */
export function projectionOf(projection: IndexProjection): { ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] } {
  return typeof projection === 'string' ? { ProjectionType: projection } : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...projection] };
}
