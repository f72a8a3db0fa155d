import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalog, catalogTable } from '../../shared/rules/index.ts';

describe("the README's catalog table", () => {
  it('is the catalog as it is (regenerate with `npx merzim rules --table`)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = /<!-- catalog:start -->\n([\s\S]*?)\n<!-- catalog:end -->/.exec(readme)?.[1];
    expect(table).toBe(catalogTable(catalog));
    expect(table?.split('\n')).toHaveLength(catalog.length + 2);
  });
});
