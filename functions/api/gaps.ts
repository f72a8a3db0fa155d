import * as z from 'zod';
import { RoleSchema, formatInstant } from '../../shared/base/index.ts';
import { DirectoryCache, recipientsFor, upTheHierarchy } from '../app/recipients.ts';
import { type RouteSpec, authorize, json, parseInput } from './http.ts';
import { ShownInstantSchema } from './views.ts';

/**
 * GET /directory/gaps: for the administrator, the units where a reminder or an escalation found
 * nobody holding the role it was to tell (a school with no director in the directory, a unit with
 * no head), so that someone fills them. A gap leaves the list as soon as the directory has someone
 * the milestone would now reach; what was missed is in the obligation's audit trail.
 */

export const DirectoryGapsQuerySchema = z.strictObject({});

export const DirectoryGapViewSchema = z.object({
  org: z.string(),
  role: RoleSchema,
  obligationId: z.string().describe('The last obligation whose milestone found nobody'),
  caseRef: z.string().optional().describe('Its case reference, while the obligation is kept'),
  milestone: z.string(),
  firstSeenAt: ShownInstantSchema,
  lastSeenAt: ShownInstantSchema,
});
export const DirectoryGapsResponseSchema = z.object({ gaps: z.array(DirectoryGapViewSchema) });

export const directoryGapsRoute: RouteSpec = {
  async run({ event, app, scope }) {
    await authorize(scope, { kind: 'directory:gaps' });
    parseInput('query', DirectoryGapsQuerySchema, event.queryStringParameters ?? {});
    const directory = new DirectoryCache(app.store.directory);
    const recorded = await app.store.directory.directoryGaps();
    const open = await Promise.all(
      recorded.map(async (gap) => {
        const role = RoleSchema.safeParse(gap.role);
        if (!role.success) return undefined;
        const obligation = await app.store.obligations.getObligation(gap.obligationId);
        const holders = obligation === undefined ? await upTheHierarchy(directory, gap.org, role.data) : await recipientsFor(directory, obligation, role.data);
        return holders.length > 0
          ? undefined
          : { ...gap, role: role.data, ...(obligation === undefined ? {} : { caseRef: obligation.caseRef }), firstSeenAt: formatInstant(gap.firstSeenAt), lastSeenAt: formatInstant(gap.lastSeenAt) };
      }),
    );
    const gaps = open.filter((gap) => gap !== undefined).sort((a, b) => a.org.localeCompare(b.org) || a.role.localeCompare(b.role));
    return json(200, { gaps });
  },
};
