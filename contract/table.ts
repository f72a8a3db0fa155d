/** The table: keys `pk`/`sk`, five indexes, TTL on `expiresAt`. */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttl: 'expiresAt',
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
} as const;
