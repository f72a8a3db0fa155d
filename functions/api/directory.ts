import type { Member, Organisation } from '../../shared/base/index.ts';
import { NotFoundError } from '../app/errors.ts';
import { type RouteSpec, authorize, bodyOf, json, parseInput } from './http.ts';
import { RequestInvalidError } from './errors.ts';
import { MemberBodySchema, MemberPathSchema, OrganisationBodySchema, OrgPathSchema } from './schemas.ts';

/** GET /organisations, PUT /organisations/{org}, PUT /organisations/{org}/members/{user}. */

export const listOrganisationsRoute: RouteSpec = {
  async run({ app, scope }) {
    await authorize(scope, { kind: 'directory:read' });
    const organisations = await app.store.directory.organisations();
    return json(200, { organisations: [...organisations].sort((a, b) => a.org.localeCompare(b.org)) });
  },
};

export const putOrganisationRoute: RouteSpec = {
  body: true,
  async run({ event, app, scope }) {
    await authorize(scope, { kind: 'directory:write' });
    const { org } = parseInput('path', OrgPathSchema, event.pathParameters ?? {});
    const body = parseInput('body', OrganisationBodySchema, bodyOf(event));
    if (body.org !== undefined && body.org !== org) {
      throw new RequestInvalidError(`invalid body: org: "${body.org}" is not the organisation of the path (${org})`, [
        { path: 'org', message: `must equal the organisation of the path (${org})` },
      ]);
    }
    if (body.parent === org) {
      throw new RequestInvalidError('invalid body: parent: an organisation cannot be its own parent', [{ path: 'parent', message: 'an organisation cannot be its own parent' }]);
    }
    const organisation: Organisation = { ...body, org };
    await app.store.directory.putOrganisation(organisation);
    return json(200, { organisation });
  },
};

export const putMemberRoute: RouteSpec = {
  body: true,
  async run({ event, app, scope }) {
    await authorize(scope, { kind: 'directory:write' });
    const { org, user } = parseInput('path', MemberPathSchema, event.pathParameters ?? {});
    const body = parseInput('body', MemberBodySchema, bodyOf(event));
    if ((await app.store.directory.organisation(org)) === undefined) throw new NotFoundError(`no organisation ${org}: put it first`);
    const member: Member = { ...body, org, user };
    await app.store.directory.putMember(member);
    return json(200, { member });
  },
};
