import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GROUPS, type Group } from '../../contract/index.ts';
import { OrganisationUnitSchema, type Role, WorkIdentitySchema } from '../../shared/base/index.ts';
import { defaultDataDir, readDirectory, signToken } from '../../local/system/index.ts';
import { type Command, type CommandHelp, UsageError } from '../command.ts';

export const tokenOptions = {
  role: { type: 'string' },
  user: { type: 'string' },
  org: { type: 'string' },
  hours: { type: 'string' },
} as const;

export const tokenHelp: CommandHelp<typeof tokenOptions> = {
  synopsis: 'token --role ROLE [--user U] [--org ORG] [--hours H]',
  about: 'a token for the API of merzim start, signed with the key in .local/keys; prints the token alone',
  options: {
    role: { value: 'ROLE', help: `the group to sign in as: ${GROUPS.join(', ')}` },
    user: { value: 'U', help: 'the demo user (default: the first of the role)' },
    org: { value: 'ORG', help: 'the unit (default: the demo user\'s own; zko for admin)' },
    hours: { value: 'H', help: 'how long the token is valid (default 12)' },
  },
};

/** The directory role a group signs in as; `admin` is no role of the directory. */
const GROUP_ROLES: Readonly<Record<Group, Role | undefined>> = {
  'akimat-department': 'akimat-department',
  'akimat-department-head': 'akimat-department-head',
  inspector: 'inspector',
  'unit-head': 'unit-head',
  'commission-secretary': 'commission-secretary',
  'commission-chair': 'commission-chair',
  'regional-head': 'regional-head',
  'shelter-head': 'shelter-head',
  admin: undefined,
};

/**
 * `merzim token --role ROLE [--user U] [--org ORG] [--hours H]`: a token the API of
 * `merzim start` accepts, for the first demo user of the role, signed with the key in
 * `.local/keys/` (made if missing). Prints the token alone.
 */
export const tokenCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: tokenOptions,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
  const group = values.role;
  if (group === undefined) throw new UsageError(`--role is required (one of ${GROUPS.join(', ')})`);
  if (!(GROUPS as readonly string[]).includes(group)) throw new UsageError(`unknown role "${group}" (one of ${GROUPS.join(', ')})`);
  const hours = values.hours === undefined ? 12 : Number(values.hours);
  if (!(Number.isFinite(hours) && hours > 0 && hours <= 24 * 366)) throw new UsageError(`--hours takes a positive number, not "${values.hours ?? ''}"`);
  if (values.user !== undefined && !WorkIdentitySchema.safeParse(values.user).success) throw new UsageError(`--user "${values.user}" is not a work identity`);
  if (values.org !== undefined && !OrganisationUnitSchema.safeParse(values.org).success) throw new UsageError(`--org "${values.org}" is not an organisation unit`);

  const role = GROUP_ROLES[group as Group];
  let user: string;
  let org: string;
  if (role === undefined) {
    user = values.user ?? 'admin';
    org = values.org ?? 'zko';
  } else {
    const members = readDirectory().members.filter((member) => member.role === role);
    const member = values.user === undefined ? members[0] : members.find((candidate) => candidate.user === values.user);
    if (member === undefined && (values.user === undefined || values.org === undefined)) {
      throw new UsageError(
        values.user === undefined
          ? `no demo user has the role ${group}`
          : `"${values.user}" is no ${group} of the demo directory (give --org as well to sign for them anyway)`,
      );
    }
    user = member?.user ?? values.user ?? '';
    org = values.org ?? member?.org ?? '';
  }
  io.out(await signToken(join(defaultDataDir, 'keys'), { user, groups: [group], org, expiresIn: Math.round(hours * 3600) }));
  return 0;
};
