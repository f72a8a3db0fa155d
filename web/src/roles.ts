import { pick } from './i18n.ts';
import type { Texts } from './types.ts';

import type { RoleKind } from '../../shared/base/index.ts';

/**
 * The roles' names and kinds of shared/base/roles.ts, put in at build time by web/build.ts
 * (`define`), so that the page does not carry zod for two tables.
 */
declare const MERZIM_ROLES: Readonly<Record<string, Texts>>;
declare const MERZIM_KINDS_OF_ROLE: Readonly<Record<string, readonly RoleKind[]>>;

/** A role's name in the page's language, or the role itself when unknown. */
export function roleName(role: string): string {
  return pick(MERZIM_ROLES[role], role);
}

/** Whether one of the groups is a role of this kind (acting body, head, issuer). */
export function holdsKind(groups: readonly string[], kind: RoleKind): boolean {
  return groups.some((group) => (MERZIM_KINDS_OF_ROLE[group] ?? []).includes(kind));
}
