import { parseArgs } from 'node:util';
import { authorityTable, catalog, catalogTable } from '../../shared/rules/index.ts';
import type { Command, CommandHelp } from '../command.ts';

export const rulesOptions = { table: { type: 'boolean' }, authority: { type: 'boolean' } } as const;

export const rulesHelp: CommandHelp<typeof rulesOptions> = {
  synopsis: 'rules [--table | --authority]',
  about: 'the statutory catalog as JSON',
  options: {
    table: { help: 'the catalog as a Markdown table: when each clock starts, its period, who acts, when it is in force, its source' },
    authority: { help: 'who may open each rule and record each act, as a Markdown table' },
  },
};

/** `merzim rules`: the statutory catalog as JSON, or with `--table` as Markdown, or with `--authority` who may do what. */
export const rulesCommand: Command = async (args, io) => {
  const { values } = parseArgs({ args: [...args], options: rulesOptions });
  io.out(values.authority === true ? authorityTable(catalog) : values.table === true ? catalogTable(catalog) : JSON.stringify(catalog, null, 2));
  return 0;
};
