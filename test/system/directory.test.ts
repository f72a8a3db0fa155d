import { expect, test } from 'vitest';
import { GROUPS } from '../../contract/index.ts';
import { directoryItems, readDirectory } from '../../local/system/directory.ts';

test('the demo directory parses, names every user once, and has someone for every role a token can carry', () => {
  const directory = readDirectory();
  const users = directory.members.map((member) => member.user);
  expect(new Set(users).size).toBe(users.length);
  for (const group of GROUPS.filter((candidate) => candidate !== 'admin')) {
    expect(directory.members.some((member) => member.role === group), group).toBe(true);
  }
  for (const role of ['deputy-akim', 'akimat-department-head', 'addressee', 'addressee-head', 'shelter-head', 'committee-head']) {
    expect(directory.members.some((member) => member.role === role), role).toBe(true);
  }
  expect(directory.members.every((member) => /@[a-z]+\.demo\.kz$/.test(member.email))).toBe(true);
  const orgs = new Map(directory.organisations.map((organisation) => [organisation.org, organisation]));
  // Escalation climbs: police unit → regional department → committee; department → akimat → district → region.
  expect(orgs.get('zko-uralsk-police-dv')?.parent).toBe('zko-police');
  expect(orgs.get('zko-police')?.parent).toBe('mvd-kap');
  expect(orgs.get('zko-burlin-akimat-sss')?.parent).toBe('zko-burlin-akimat');
  expect(orgs.get('zko-burlin-akimat')?.parent).toBe('zko-burlin');
  expect(orgs.get('zko-burlin')?.parent).toBe('zko');
});

test('the items carry the keys the store reads', () => {
  const items = directoryItems(readDirectory());
  expect(items).toContainEqual(expect.objectContaining({ pk: 'DIR', sk: 'ORG#zko-uralsk-kdn', org: 'zko-uralsk-kdn', kind: 'commission' }));
  expect(items).toContainEqual(
    expect.objectContaining({ pk: 'ORG#zko-uralsk-police-dv', sk: 'MEMBER#aigerim.inspector', user: 'aigerim.inspector', role: 'inspector', email: 'inspector.uralsk@police.demo.kz' }),
  );
});
