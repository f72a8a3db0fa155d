import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GROUPS, type Group } from '../../contract/index.ts';
import type { Act } from '../../shared/base/index.ts';

/**
 * The act matrix of the authorization suite (test/security/authorization.test.ts): who may record
 * which act, on an obligation in which relation to their own unit. Written out by hand from the
 * catalog's `authority.acts` (shared/rules/catalog.ts) and the parties of shared/base/roles.ts,
 * never computed by the code under test; the suite asks the `api` function each cell, and the
 * README shows the same table (`npx tsx test/security/act-matrix.ts --write` writes it there).
 */

export type MatrixRole = Group | 'no group' | 'no token';
export const MATRIX_ROLES = [...GROUPS, 'no group', 'no token'] as const satisfies readonly MatrixRole[];

/**
 * What the caller's unit (the token's `custom:org`) is to the obligation. A relation is a matter
 * of units, not of groups: whoever belongs to the obligation's unit is its acting body, whatever
 * their group. The administrator's own unit is the region (`zko`).
 */
export const RELATIONS = [
  /** The obligation is the caller's own unit's. */
  'acting body',
  /** The obligation is an outside unit's, issued by the caller's unit (`issuedBy`). */
  'issuer',
  /** The obligation is of a unit under the caller's. */
  'head above',
  /** The obligation is of a unit outside the caller's reach, issued by another. */
  'another unit',
] as const;
export type Relation = (typeof RELATIONS)[number];

/** The rules the acts are tried on: an act applies to a rule when the rule's catalog entry names it. */
export type MatrixRule = 'sss-decision' | 'offender-check' | 'protective-order' | 'shelter-absence' | 'kdn-placement-reply' | 'submission-measure';

export type ActRow = readonly [Act, MatrixRule, Relation, ...number[]];

/**
 * Expected answer of POST /obligations/{id}/events, one request per cell: 200 recorded; 403 the
 * caller holds none of the parties the catalog gives the act; 404 the obligation is out of reach
 * (indistinguishable from one that does not exist); 401 no token. Every request carries what the
 * act needs (reason, dueDate, start, org, assignee), so that authority is the only reason to refuse.
 * The acts that only start a clock (conclusion-received, order-served, registered…) are no one's
 * to record here: opening the obligation records them.
 *
 * Acts that differ by kind of clock are tried on both: one the acting body opens for itself
 * (sss-decision, offender-check: its head and the administrator correct, cancel and hand it over)
 * and one a commission opens for the bodies it addresses (kdn-placement-reply: the commission
 * extends, corrects, cancels and hands it to another commission).
 */
// prettier-ignore
export const ACT_MATRIX: readonly ActRow[] = [
  //                                                                      akimat  akimat  inspec  unit-   commis. commis. region. shelter admin   no      no
  // act                   rule                   relation                dept.   head    tor     head    secret. chair   head    head            group   token
  ['decided',             'sss-decision',        'acting body',          200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['decided',             'sss-decision',        'issuer',               403,    403,    403,    403,    403,    403,    403,    403,    403,    403,    401],
  ['decided',             'sss-decision',        'head above',           404,    403,    404,    403,    404,    403,    403,    403,    403,    404,    401],
  ['decided',             'sss-decision',        'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    403,    404,    401],
  ['refused',             'sss-decision',        'acting body',          200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['refused',             'sss-decision',        'issuer',               403,    403,    403,    403,    403,    403,    403,    403,    403,    403,    401],
  ['refused',             'sss-decision',        'head above',           404,    403,    404,    403,    404,    403,    403,    403,    403,    404,    401],
  ['refused',             'sss-decision',        'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    403,    404,    401],
  ['checked',             'offender-check',      'acting body',          200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['checked',             'offender-check',      'issuer',               403,    403,    403,    403,    403,    403,    403,    403,    403,    403,    401],
  ['checked',             'offender-check',      'head above',           404,    403,    404,    403,    404,    403,    403,    403,    403,    404,    401],
  ['checked',             'offender-check',      'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    403,    404,    401],
  ['deregistered',        'offender-check',      'acting body',          200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['deregistered',        'offender-check',      'issuer',               403,    403,    403,    403,    403,    403,    403,    403,    403,    403,    401],
  ['deregistered',        'offender-check',      'head above',           404,    200,    404,    200,    404,    200,    200,    200,    403,    404,    401],
  ['deregistered',        'offender-check',      'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    403,    404,    401],
  ['suspended',           'offender-check',      'acting body',          200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['suspended',           'offender-check',      'issuer',               403,    403,    403,    403,    403,    403,    403,    403,    403,    403,    401],
  ['suspended',           'offender-check',      'head above',           404,    200,    404,    200,    404,    200,    200,    200,    403,    404,    401],
  ['suspended',           'offender-check',      'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    403,    404,    401],
  ['resumed',             'offender-check',      'acting body',          200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['resumed',             'offender-check',      'issuer',               403,    403,    403,    403,    403,    403,    403,    403,    403,    403,    401],
  ['resumed',             'offender-check',      'head above',           404,    200,    404,    200,    404,    200,    200,    200,    403,    404,    401],
  ['resumed',             'offender-check',      'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    403,    404,    401],
  ['violation-found',     'protective-order',    'acting body',          200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['violation-found',     'protective-order',    'issuer',               403,    403,    403,    403,    403,    403,    403,    403,    403,    403,    401],
  ['violation-found',     'protective-order',    'head above',           404,    403,    404,    403,    404,    403,    403,    403,    403,    404,    401],
  ['violation-found',     'protective-order',    'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    403,    404,    401],
  ['renewed',             'protective-order',    'acting body',          200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['renewed',             'protective-order',    'issuer',               403,    403,    403,    403,    403,    403,    403,    403,    403,    403,    401],
  ['renewed',             'protective-order',    'head above',           404,    403,    404,    403,    404,    403,    403,    403,    403,    404,    401],
  ['renewed',             'protective-order',    'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    403,    404,    401],
  ['resident-returned',   'shelter-absence',     'acting body',          200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['resident-returned',   'shelter-absence',     'issuer',               403,    403,    403,    403,    403,    403,    403,    403,    403,    403,    401],
  ['resident-returned',   'shelter-absence',     'head above',           404,    403,    404,    403,    404,    403,    403,    403,    403,    404,    401],
  ['resident-returned',   'shelter-absence',     'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    403,    404,    401],
  ['replied',             'kdn-placement-reply', 'acting body',          200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['replied',             'kdn-placement-reply', 'issuer',               403,    200,    403,    200,    200,    200,    200,    200,    403,    403,    401],
  ['replied',             'kdn-placement-reply', 'head above',           404,    403,    404,    403,    404,    403,    403,    403,    403,    404,    401],
  ['replied',             'kdn-placement-reply', 'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    403,    404,    401],
  ['reported',            'submission-measure',  'acting body',          200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['reported',            'submission-measure',  'issuer',               403,    200,    403,    200,    200,    200,    200,    200,    403,    403,    401],
  ['reported',            'submission-measure',  'head above',           404,    403,    404,    403,    404,    403,    403,    403,    403,    404,    401],
  ['reported',            'submission-measure',  'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    403,    404,    401],
  ['extension-requested', 'kdn-placement-reply', 'acting body',          200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['extension-requested', 'kdn-placement-reply', 'issuer',               403,    403,    403,    403,    403,    403,    403,    403,    403,    403,    401],
  ['extension-requested', 'kdn-placement-reply', 'head above',           404,    403,    404,    403,    404,    403,    403,    403,    403,    404,    401],
  ['extension-requested', 'kdn-placement-reply', 'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    403,    404,    401],
  ['extended',            'kdn-placement-reply', 'acting body',          403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['extended',            'kdn-placement-reply', 'issuer',               403,    200,    403,    200,    200,    200,    200,    200,    200,    403,    401],
  ['extended',            'kdn-placement-reply', 'head above',           404,    403,    404,    403,    404,    403,    403,    403,    200,    404,    401],
  ['extended',            'kdn-placement-reply', 'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    200,    404,    401],
  ['extension-refused',   'kdn-placement-reply', 'acting body',          403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['extension-refused',   'kdn-placement-reply', 'issuer',               403,    200,    403,    200,    200,    200,    200,    200,    200,    403,    401],
  ['extension-refused',   'kdn-placement-reply', 'head above',           404,    403,    404,    403,    404,    403,    403,    403,    200,    404,    401],
  ['extension-refused',   'kdn-placement-reply', 'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    200,    404,    401],
  ['start-corrected',     'sss-decision',        'acting body',          403,    200,    403,    200,    403,    200,    200,    200,    200,    403,    401],
  ['start-corrected',     'sss-decision',        'issuer',               403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['start-corrected',     'sss-decision',        'head above',           404,    200,    404,    200,    404,    200,    200,    200,    200,    404,    401],
  ['start-corrected',     'sss-decision',        'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    200,    404,    401],
  ['start-corrected',     'kdn-placement-reply', 'acting body',          403,    200,    403,    200,    403,    200,    200,    200,    200,    403,    401],
  ['start-corrected',     'kdn-placement-reply', 'issuer',               403,    200,    403,    200,    200,    200,    200,    200,    200,    403,    401],
  ['start-corrected',     'kdn-placement-reply', 'head above',           404,    200,    404,    200,    404,    200,    200,    200,    200,    404,    401],
  ['start-corrected',     'kdn-placement-reply', 'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    200,    404,    401],
  ['cancelled',           'sss-decision',        'acting body',          403,    200,    403,    200,    403,    200,    200,    200,    200,    403,    401],
  ['cancelled',           'sss-decision',        'issuer',               403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['cancelled',           'sss-decision',        'head above',           404,    200,    404,    200,    404,    200,    200,    200,    200,    404,    401],
  ['cancelled',           'sss-decision',        'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    200,    404,    401],
  ['cancelled',           'kdn-placement-reply', 'acting body',          403,    200,    403,    200,    403,    200,    200,    200,    200,    403,    401],
  ['cancelled',           'kdn-placement-reply', 'issuer',               403,    200,    403,    200,    200,    200,    200,    200,    200,    403,    401],
  ['cancelled',           'kdn-placement-reply', 'head above',           404,    200,    404,    200,    404,    200,    200,    200,    200,    404,    401],
  ['cancelled',           'kdn-placement-reply', 'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    200,    404,    401],
  ['reassigned',          'sss-decision',        'acting body',          200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['reassigned',          'sss-decision',        'issuer',               403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['reassigned',          'sss-decision',        'head above',           404,    200,    404,    200,    404,    200,    200,    200,    200,    404,    401],
  ['reassigned',          'sss-decision',        'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    200,    404,    401],
  ['transferred',         'offender-check',      'acting body',          403,    200,    403,    200,    403,    200,    200,    200,    200,    403,    401],
  ['transferred',         'offender-check',      'issuer',               403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['transferred',         'offender-check',      'head above',           404,    200,    404,    200,    404,    200,    200,    200,    200,    404,    401],
  ['transferred',         'offender-check',      'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    200,    404,    401],
  ['transferred',         'kdn-placement-reply', 'acting body',          403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['transferred',         'kdn-placement-reply', 'issuer',               403,    200,    403,    200,    200,    200,    200,    200,    200,    403,    401],
  ['transferred',         'kdn-placement-reply', 'head above',           404,    403,    404,    403,    404,    403,    403,    403,    200,    404,    401],
  ['transferred',         'kdn-placement-reply', 'another unit',         404,    404,    404,    404,    404,    404,    404,    404,    200,    404,    401],
];

// The README's copy

const SYMBOLS: Readonly<Record<number, string>> = { 200: '✓', 403: '✗', 404: '·', 401: '⊘' };

const symbol = (status: number): string => SYMBOLS[status] ?? String(status);

/**
 * The act matrix as the README shows it: one row per act and rule, one column per role; each
 * cell gives the answers in the four relations, in the order of RELATIONS.
 */
export function renderActMatrix(matrix: readonly ActRow[] = ACT_MATRIX): string {
  const rows = new Map<string, { act: Act; rule: MatrixRule; cells: Map<Relation, readonly number[]> }>();
  for (const [act, rule, relation, ...statuses] of matrix) {
    const key = `${act} ${rule}`;
    const row = rows.get(key) ?? { act, rule, cells: new Map<Relation, readonly number[]>() };
    row.cells.set(relation, statuses);
    rows.set(key, row);
  }
  const header = `| act (rule) | ${MATRIX_ROLES.join(' | ')} |`;
  const rule = `|---|${MATRIX_ROLES.map(() => ':-:').join('|')}|`;
  const lines = [...rows.values()].map(({ act, rule: ruleId, cells }) => {
    const columns = MATRIX_ROLES.map((_, index) =>
      RELATIONS.map((relation) => {
        const status = cells.get(relation)?.[index];
        if (status === undefined) throw new Error(`the act matrix has no ${relation} cell of ${act} on ${ruleId}`);
        return symbol(status);
      }).join(' '),
    );
    return `| \`${act}\` (${ruleId}) | ${columns.join(' | ')} |`;
  });
  return [header, rule, ...lines].join('\n');
}

export const README_URL = new URL('../../README.md', import.meta.url);
const SECTION = /<!-- act-matrix:start -->\n([\s\S]*?)\n?<!-- act-matrix:end -->/;

/** The act matrix as the README holds it now, or undefined without its markers. */
export function readmeActMatrix(readme: string = readFileSync(README_URL, 'utf8')): string | undefined {
  return SECTION.exec(readme)?.[1];
}

/** Writes the rendered table between the README's markers. */
export function writeReadmeActMatrix(): void {
  const readme = readFileSync(README_URL, 'utf8');
  if (readmeActMatrix(readme) === undefined) throw new Error('README.md has no <!-- act-matrix:start --> … <!-- act-matrix:end --> markers');
  writeFileSync(README_URL, readme.replace(SECTION, () => `<!-- act-matrix:start -->\n${renderActMatrix()}\n<!-- act-matrix:end -->`));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--write')) {
    writeReadmeActMatrix();
    console.log(`wrote the act matrix into ${fileURLToPath(README_URL)}`);
  } else {
    console.log(renderActMatrix());
  }
}
