import { parseArgs } from 'node:util';
import { catalog } from '../../shared/rules/catalog.ts';
import { authorityTable, catalogTable } from '../../shared/rules/catalog-table.ts';
import type { Command } from '../command.ts';

/** `merzim rules`: the statutory catalog as JSON, or with `--table` as Markdown, or with `--authority` who may do what. */
export const rulesCommand: Command = async (args, io) => {
  const { values } = parseArgs({ args: [...args], options: { table: { type: 'boolean' }, authority: { type: 'boolean' } } });
  io.out(values.authority === true ? authorityTable(catalog) : values.table === true ? catalogTable(catalog) : JSON.stringify(catalog, null, 2));
  return 0;
};
