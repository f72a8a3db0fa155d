import { parseArgs } from 'node:util';
import { catalog } from '../../shared/rules/catalog.ts';
import type { Command } from '../command.ts';

/** `merzim rules`: the statutory catalog as JSON. */
export const rulesCommand: Command = async (args, io) => {
  parseArgs({ args: [...args], options: {} });
  io.out(JSON.stringify(catalog, null, 2));
  return 0;
};
