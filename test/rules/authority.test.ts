import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ACTS, ADMINISTRATOR, KINDS_OF_ROLE, ORGANISATION_KINDS, ROLES, rolesOfKind } from '../../shared/base/index.ts';
import { GROUPS } from '../../contract/index.ts';
import { authorityTable, catalog, effectiveBody, findRule } from '../../shared/rules/index.ts';

/** The catalog's authority is one table that the README repeats and the law bounds. */
describe('who may do what, in the catalog', () => {
  test('the README holds the table `merzim rules --authority` prints', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = /<!-- authority:start -->\n([\s\S]*?)\n<!-- authority:end -->/.exec(readme)?.[1];
    expect(table, `paste into the README:\n${authorityTable(catalog)}`).toBe(authorityTable(catalog));
  });

  test.each(catalog.map((rule) => [rule.id, rule] as const))('%s: every act that closes or ends it has someone who records it', (_id, rule) => {
    const ending = [...rule.closedBy, ...Object.values(rule.variants ?? {}).flatMap((variant) => variant.recurrence?.until ?? []), ...(effectiveBody(rule, undefined).recurrence?.until ?? [])];
    for (const act of ending) expect(rule.authority.acts[act], `${rule.id}: ${act}`).toBeDefined();
  });

  test.each(catalog.map((rule) => [rule.id, rule] as const))('%s: the opening names bodies that exist as kinds, and an issuer exactly when an issuer opens it', (_id, rule) => {
    const { opens } = rule.authority;
    for (const kind of [...opens.bodies, ...(opens.issuers ?? [])]) expect(ORGANISATION_KINDS).toContain(kind);
    expect(opens.issuers !== undefined, rule.id).toBe(opens.by.includes('issuer'));
    // Merzim alone, or people: never both, so that "opened by the system alone" means what it says.
    if (opens.by.includes('system')) expect(opens.by).toEqual(['system']);
  });

  test('a fixed statutory term is never extended; a term the issuer set is, only by the issuer, on request', () => {
    for (const id of ['sss-decision', 'protective-order', 'offender-check', 'shelter-absence', 'unit-quarterly-report', 'official-warning', 'special-requirements']) {
      const { acts } = findRule(id).authority;
      expect([acts.extended, acts['extension-requested']], id).toEqual([undefined, undefined]);
    }
    for (const id of ['kdn-placement-reply', 'submission-reply', 'submission-measure', 'action-plan-item']) {
      const { acts } = findRule(id).authority;
      expect(acts['extension-requested'], id).toEqual(['acting-body']);
      expect(acts.extended, id).not.toContain('acting-body');
      expect(acts.extended, id).toContain('issuer');
    }
  });

  test('the acting body never corrects its own start nor cancels its own clock', () => {
    for (const rule of catalog) {
      expect(rule.authority.acts['start-corrected'] ?? [], rule.id).not.toContain('acting-body');
      expect(rule.authority.acts.cancelled ?? [], rule.id).not.toContain('acting-body');
    }
  });

  test('a pause exists exactly where a legal ground is named', () => {
    for (const rule of catalog) {
      expect(rule.authority.acts.suspended !== undefined, rule.id).toBe(rule.authority.pause !== undefined);
      expect(rule.authority.acts.resumed !== undefined, rule.id).toBe(rule.authority.pause !== undefined);
    }
  });

  test('companion rules exist and are opened by the same parties as the rule that opens them', () => {
    for (const rule of catalog) {
      for (const companion of rule.companions ?? []) {
        expect(findRule(companion.rule).authority.opens.by, `${rule.id} → ${companion.rule}`).toEqual(rule.authority.opens.by);
      }
    }
  });

  test('every act named is an act; every role has a kind; every group but the administrator is a role', () => {
    for (const rule of catalog) for (const act of Object.keys(rule.authority.acts)) expect(ACTS).toContain(act);
    expect(Object.keys(KINDS_OF_ROLE).sort()).toEqual(Object.keys(ROLES).sort());
    for (const group of GROUPS) if (group !== ADMINISTRATOR) expect(Object.keys(ROLES)).toContain(group);
    expect(rolesOfKind('issuer').sort()).toEqual(['commission-chair', 'commission-secretary']);
  });
});
