import { expect, test } from 'vitest';
import { ListQuerySchema } from '../../functions/api/schemas.ts';

/**
 * Found by attacking the running API (branch walk-fixes): `within=100000` and `limit=100000` were
 * refused as not "a whole number", which they are; the answer must say what is wrong with them.
 */
const messages = (query: Record<string, string>): string[] => {
  const parsed = ListQuerySchema.safeParse({ org: 'zko-uralsk-akimat-sss', ...query });
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
};

test('a number over the bound is refused as over the bound, however many digits it has', () => {
  expect(messages({ status: 'due-soon', within: '100000' })).toEqual(['within is at most 366']);
  expect(messages({ limit: '100000' })).toEqual(['limit is at most 100']);
  expect(messages({ limit: '9'.repeat(400) })).toEqual(['limit is at most 100']);
  expect(messages({ limit: '0' })).toEqual(['limit is at least 1']);
});

test('what is not a whole number is still refused as such', () => {
  for (const limit of ['-1', '1.5', '1e2', '0x10', 'abc', '', ' 5']) expect(messages({ limit }), limit).toEqual(['limit is a whole number']);
  expect(ListQuerySchema.parse({ org: 'zko-uralsk-akimat-sss', limit: '007' }).limit).toBe(7);
});
