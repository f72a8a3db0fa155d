import { pick } from './i18n.ts';
import type { Texts } from './types.ts';

/**
 * The roles' names of shared/model/roles.ts, put in at build time by web/build.ts (`define`), so
 * that the page does not carry zod for one table.
 */
declare const MERZIM_ROLES: Readonly<Record<string, Texts>>;

/** A role's name in the page's language, or the role itself when unknown. */
export function roleName(role: string): string {
  return pick(MERZIM_ROLES[role], role);
}
