import { parseArgs } from 'node:util';
import { catalog } from '../../shared/rules/catalog.ts';
import { catalogTable } from '../../shared/rules/catalog-table.ts';
import type { Command } from '../command.ts';

/** `merzim rules`: the statutory catalog as JSON, or with `--table` as Markdown. */
export const rulesCommand: Command = async (args, io) => {
  const { values } = parseArgs({ args: [...args], options: { table: { type: 'boolean' } } });
  io.out(values.table === true ? catalogTable(catalog) : JSON.stringify(catalog, null, 2));
  return 0;
};
