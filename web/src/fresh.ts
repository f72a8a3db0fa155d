import type { ListedObligation } from './types.ts';

/**
 * Obligations as this page last wrote them (the answer to a recorded act). A work list is an
 * index read, which lags a write on AWS (a global secondary index is eventually consistent): for
 * a short while the page puts what it wrote over what the list returns, so that a check recorded
 * shows its next check at once and nothing of the old state comes back.
 */
const KEPT_MS = 120_000;
const written = new Map<string, { readonly obligation: ListedObligation; readonly at: number }>();

export function remember(...obligations: readonly (ListedObligation | undefined)[]): void {
  const at = Date.now();
  for (const obligation of obligations) if (obligation !== undefined) written.set(obligation.id, { obligation, at });
}

/** What this page wrote lately, newest state only. */
export function recentlyWritten(): ListedObligation[] {
  const now = Date.now();
  for (const [id, entry] of written) if (now - entry.at > KEPT_MS) written.delete(id);
  return [...written.values()].map((entry) => entry.obligation);
}

/** The newer of two states of one obligation. */
export function newer(listed: ListedObligation, wrote: ListedObligation): ListedObligation {
  return Date.parse(wrote.updatedAt) >= Date.parse(listed.updatedAt) ? wrote : listed;
}
