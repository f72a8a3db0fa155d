/**
 * Who Merzim itself is: the `by` of what its timers, reconciler and provisioning write in an
 * audit trail, and the caller they act as. The dashboard names nobody for it.
 */
export const SYSTEM_USER = 'merzim';
