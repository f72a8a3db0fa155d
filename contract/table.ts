/** The table: keys `pk`/`sk`, five indexes (two outbox lists in one of them), TTL on `expiresAt`, a stream of new and old images. */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttl: 'expiresAt',
  /**
   * The table's stream: each changed item as it now is and as it was, so that the `start`
   * function tells a new revision (a new timer to start) from any other write of an obligation.
   */
  stream: 'NEW_AND_OLD_IMAGES',
  indexes: {
    /** Obligations of an organisation unit in a state, by due instant. */
    byOrg: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Obligations of an assignee in a state, by due instant. */
    byAssignee: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** Obligations a commission (or another issuer) is waiting on, in a state, by due instant. */
    byIssuer: { partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /** Every obligation of one case reference, open or closed, by due instant: the case view. */
    byCase: { partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
    /** Sparse: obligations that still need a timer, in a few shards, for the reconciler. */
    live: { partitionKey: 'livePk', sortKey: 'liveSk' },
  },
  /**
   * The outbox's two lists, each one partition of the `byOrg` index that holds no organisation's
   * obligations: `failed`, the dead-letter list (notices whose last attempt failed, oldest
   * milestone first); `queued`, the morning mail's queue (by recipient, then milestone).
   */
  noticeLists: { index: 'byOrg', failed: 'NOTICES#failed', queued: 'NOTICES#queued' },
} as const;
