import type { OpenObligationRequest } from '../../shared/model/obligation.ts';
import type { Party } from '../../shared/model/roles.ts';
import { partyList } from '../../shared/obligations/authority.ts';
import { ActRefusedError, CLOCK_SKEW_MS } from '../../shared/obligations/lifecycle.ts';
import { findRule } from '../../shared/rules/catalog.ts';
import type { Scope } from './scope.ts';

/**
 * Who may open a clock, from the rule's catalog entry (`authority.opens`):
 * - every unit it is opened for exists in the directory and is of a kind that owes the act;
 * - the body that must act opens its own clock; an issuer (a commission's secretary or chair)
 *   opens those of the bodies it addresses, naming itself as `issuedBy`; the administrator opens
 *   any that the catalog gives them; Merzim alone opens the quarterly reports;
 * - a clock starts now or earlier, unless the rule runs ahead (a plan's periods).
 * Refused, nothing is written: 422 names the field, 403 the rule and who may open it.
 */
export async function authorizeOpening(scope: Scope, request: OpenObligationRequest, now: number): Promise<void> {
  const rule = findRule(request.rule);
  const { opens } = rule.authority;
  if (!opens.by.some((party) => party !== 'system')) {
    throw new ActRefusedError(`Merzim opens ${rule.id} itself: nobody opens it by hand`, 'forbidden', 'rule');
  }
  const orgs = request.addressees ?? (request.org === undefined ? [] : [request.org]);
  const field = request.addressees === undefined ? 'org' : 'addressees';
  for (const [index, org] of orgs.entries()) {
    const unit = await scope.organisation(org);
    const path = field === 'org' ? 'org' : `addressees.${index}`;
    if (unit === undefined) throw new ActRefusedError(`${org} is not a unit of the directory: nothing is opened for it`, 'invalid', path);
    if (!opens.bodies.includes(unit.kind)) {
      throw new ActRefusedError(`${rule.id} is owed by ${opens.bodies.join(', ')}; ${org} is ${article(unit.kind)}`, 'invalid', path);
    }
  }
  const byIssuer = opens.by.includes('issuer');
  if (request.issuedBy !== undefined) {
    if (!byIssuer) throw new ActRefusedError(`${rule.id} is opened by the body that acts: it has no issuer`, 'invalid', 'issuedBy');
    const issuer = await scope.organisation(request.issuedBy);
    if (issuer === undefined) throw new ActRefusedError(`${request.issuedBy} is not a unit of the directory`, 'invalid', 'issuedBy');
    if (!(opens.issuers ?? []).includes(issuer.kind)) {
      throw new ActRefusedError(`${rule.id} is issued by ${(opens.issuers ?? []).join(', ')}; ${request.issuedBy} is ${article(issuer.kind)}`, 'invalid', 'issuedBy');
    }
  } else if (byIssuer) {
    throw new ActRefusedError(`${rule.id} is opened for the body that owes the act by the one that waits for it: name it (issuedBy)`, 'invalid', 'issuedBy');
  }
  if (request.start > now + CLOCK_SKEW_MS && !opens.startAhead) {
    throw new ActRefusedError(`the clock of ${rule.id} starts when the event happens: ${new Date(request.start).toISOString()} is still ahead`, 'invalid', 'start');
  }
  // Every unit opened for must be the caller's to open: as the acting body, as the issuer, or as the administrator.
  for (const org of orgs) {
    const parties = await scope.partiesTo({ org, ...(request.issuedBy === undefined ? {} : { issuedBy: request.issuedBy }) });
    const opener = opens.by.some((party: Party) => party !== 'head' && parties.has(party));
    if (!opener) {
      throw new ActRefusedError(`${rule.id} is opened by ${partyList(opens.by.filter((party) => party !== 'system'))}: you are none of them for ${org}`, 'forbidden', 'rule');
    }
  }
}

function article(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
}
