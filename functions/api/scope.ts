import type { Organisation, Party } from '../../shared/base/index.ts';
import type { Obligation } from '../../shared/model/index.ts';
import { holdsHeadRole, isAdministrator, partiesOf } from '../../shared/obligations/index.ts';
import type { Caller } from '../app/context.ts';

/**
 * How far a caller reaches: the unit of their token (`custom:org`), and for heads that unit's
 * whole subtree in the directory (children by `parent`, transitively); the administrator reaches
 * everything. A commission secretary reaches the commission's unit, and sees besides every
 * obligation the commission issued (`issuedBy`), wherever it is.
 */

export interface Reach {
  /** The administrator: every unit. */
  readonly everything: boolean;
  /** The units reached (the caller's own always among them). */
  readonly units: ReadonlySet<string>;
}

/** The administrator reaches everything. */
export function isAdmin(caller: Caller): boolean {
  return isAdministrator(caller);
}

/** A head (a role of kind `head`, shared/base/roles.ts) reaches their unit and everything under it. */
export function isHead(caller: Caller): boolean {
  return holdsHeadRole(caller);
}

/** `root` and every unit under it, by `parent`, however deep; a cycle in the data ends the walk. */
export function subtreeOf(root: string, organisations: readonly Pick<Organisation, 'org' | 'parent'>[]): Set<string> {
  const children = new Map<string, string[]>();
  for (const { org, parent } of organisations) {
    if (parent === undefined) continue;
    const siblings = children.get(parent);
    if (siblings === undefined) children.set(parent, [org]);
    else siblings.push(org);
  }
  const reached = new Set<string>([root]);
  const queue = [root];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      if (reached.has(child)) continue;
      reached.add(child);
      queue.push(child);
    }
  }
  return reached;
}

/** The reach of a caller; `organisations` is only needed (and only read) for heads. */
export function reachOf(caller: Caller, organisations: readonly Pick<Organisation, 'org' | 'parent'>[] = []): Reach {
  if (isAdmin(caller)) return { everything: true, units: new Set([caller.org]) };
  if (isHead(caller)) return { everything: false, units: subtreeOf(caller.org, organisations) };
  return { everything: false, units: new Set([caller.org]) };
}

/**
 * One request's view of the caller's reach. The directory is read at most once per request,
 * and only when a head's subtree is needed; the walk is kept for the rest of the request.
 */
export class Scope {
  #reach: Promise<Reach> | undefined;
  #organisations: Promise<ReadonlyMap<string, Organisation>> | undefined;

  constructor(
    readonly caller: Caller,
    private readonly directory: () => Promise<readonly Organisation[]>,
  ) {}

  get admin(): boolean {
    return isAdmin(this.caller);
  }

  get head(): boolean {
    return isHead(this.caller);
  }

  /** A unit of the directory, or undefined when there is none of that code. */
  async organisation(org: string): Promise<Organisation | undefined> {
    return (await this.organisationMap()).get(org);
  }

  /** Every unit of the directory. */
  async organisations(): Promise<Organisation[]> {
    return [...(await this.organisationMap()).values()];
  }

  private organisationMap(): Promise<ReadonlyMap<string, Organisation>> {
    this.#organisations ??= this.directory().then((organisations) => new Map(organisations.map((organisation) => [organisation.org, organisation])));
    return this.#organisations;
  }

  /** What the caller is to an obligation: acting body, issuer, head, administrator (shared/obligations/authority.ts). */
  async partiesTo(obligation: Pick<Obligation, 'org' | 'issuedBy'>): Promise<ReadonlySet<Party>> {
    const reach = await this.reach();
    return partiesOf(this.caller, obligation, (org) => reach.everything || reach.units.has(org));
  }

  reach(): Promise<Reach> {
    this.#reach ??= this.admin || !this.head ? Promise.resolve(reachOf(this.caller)) : this.directory().then((organisations) => reachOf(this.caller, organisations));
    return this.#reach;
  }

  async includes(org: string): Promise<boolean> {
    const reach = await this.reach();
    return reach.everything || reach.units.has(org);
  }

  /** An obligation is the caller's to see and act on when its unit, or the body that issued it, is in reach. */
  async sees(obligation: { readonly org: string; readonly issuedBy?: string | undefined }): Promise<boolean> {
    if (await this.includes(obligation.org)) return true;
    return obligation.issuedBy !== undefined && (await this.includes(obligation.issuedBy));
  }
}
