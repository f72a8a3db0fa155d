import fc from 'fast-check';

/**
 * Values that no field of the API may take, by what they are made of: the wrong JSON type, the
 * wrong size, text with characters a field forbids (control characters, bidi overrides, lone
 * surrogates, NUL, emoji) and injection strings (SQL, DynamoDB expression fragments, markup,
 * CRLF, path traversal). Each list is made for one kind of field, so that a value put into a
 * request otherwise valid makes that request invalid in that field alone.
 *
 * Random values come from fast-check with a fixed seed: the same run every time.
 */

export const SEED = 20_260_319;

/** Anything that is not a string (for a field that takes text). */
export const NOT_STRINGS: readonly unknown[] = [123, 0, -1, 1.5, 1e21, true, false, null, [], ['a'], {}, { $ne: null }, { S: 'x' }, [[[[]]]]];

/** Anything that is not a whole number (for a field that takes a count). */
export const NOT_INTEGERS: readonly unknown[] = ['3', '', 'NaN', '1e3', true, null, [], {}, [3], { N: '3' }, 1.5, 0.0001];

/** Control characters, bidi overrides and isolates, a lone surrogate, NUL, a BOM, a zero-width joiner. */
export const FORBIDDEN_CHARACTERS: readonly string[] = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u0008',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u202a',
  '\u202b',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\ufffe',
];

/**
 * Injection strings: none is a well-formed code (each holds a character no code, reference or
 * date allows: a quote, `<`, `$`, `:`, `=`, `;`, `{`, a space, CR or LF…).
 */
export const INJECTIONS: readonly string[] = [
  "' OR '1'='1",
  "1'; DROP TABLE merzim; --",
  '" OR ""="',
  "admin'--",
  '1 UNION SELECT * FROM users',
  '{"$gt": ""}',
  '{"$ne": null}',
  '$where: 1 == 1',
  '#pk = :pk',
  ':v',
  ':pk OR attribute_exists(sk)',
  '#version = :expected',
  'begins_with(sk, :prefix)',
  'ORG#zko#open = :pk',
  'OBL#x; sk=META',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}',
  '${jndi:ldap://127.0.0.1/a}',
  '%00',
  'a\r\nSet-Cookie: merzim=1',
  'a\nLocation: http://evil.example',
  '\r\n\r\n<html>',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  'file:///etc/passwd',
  '| cat /etc/passwd',
  '`id`',
  '$(id)',
  '; ls -la',
  '=cmd|" /C calc"!A0',
  '@SUM(1+1)*cmd',
];

/** Unicode that no code (organisation unit, work identity, id, rule, date) takes. */
export const UNICODE_CODES: readonly string[] = [
  'zko\u0000uralsk',
  'zko-\u202euralsk',
  'zko-uralsk\ud800',
  'zko-😀-uralsk',
  '😀',
  'ЗКО-уральск',
  'zko uralsk',
  'zko\u200buralsk',
  'zko\turalsk',
  'ＺＫＯ',
  'zko\u0301',
  'İstanbul',
  '\u00a0zko',
];

export const ONE_TOO_LONG = (limit: number, char = 'a'): string => char.repeat(limit + 1);
export const HUGE_STRINGS: readonly string[] = ['a'.repeat(10_000), 'я'.repeat(100_000), '😀'.repeat(20_000)];

/** A 12-digit run (an IIN-like number), also written in groups. */
export const IINS: readonly string[] = ['880101300123', '880101 300123', '8801-0130-0123', '88 01 01 30 01 23', '№880101300123'];

/** Strings that are not calendar dates (YYYY-MM-DD). */
export const NOT_DATES: readonly string[] = [
  '',
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '2026-1-5',
  '26-03-19',
  '19.03.2026',
  '2026/03/19',
  '2026-03-19T00:00',
  '2026-03-19 ',
  ' 2026-03-19',
  '２０２６-03-19',
  '2026-03-19\u0000',
  'today',
  '-001-01-01',
  '+2026-03-19',
];

/** Strings that are not instants. */
export const NOT_INSTANTS: readonly string[] = [
  '',
  'yesterday',
  'now',
  '2026-02-30T10:00',
  '2026-03-19T25:00',
  '2026-03-19T10:61',
  '2026-03-19T10:00:00+25:00',
  '2026-03-19T10:00:00Z junk',
  '1742370000000',
  'T10:00',
  '2026-03-19T10:00:00+05:00'.padEnd(41, '0'),
];

/**
 * `count` random strings, each with one character that `forbidden` holds put at a random place:
 * whatever else the string is, it is not a valid value of the field.
 */
export function randomWith(forbidden: readonly string[], count: number, seed: number): string[] {
  const arbitrary = fc
    .tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...forbidden), fc.nat())
    .map(([text, bad, at]) => {
      const units = [...text];
      const index = units.length === 0 ? 0 : at % (units.length + 1);
      units.splice(index, 0, bad);
      return units.join('');
    });
  return fc.sample(arbitrary, { seed, numRuns: count });
}

/** Random JSON values of any type but a string. */
export function randomNonStrings(count: number, seed: number): unknown[] {
  return fc.sample(
    fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 5 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 })),
    { seed, numRuns: count },
  );
}

/** Bodies that are not JSON, or not JSON an API route takes at all. */
export const BAD_JSON: readonly string[] = [
  '{',
  '{"rule":',
  "{'rule': 'sss-decision'}",
  '{"rule": "sss-decision",}',
  '{rule: "sss-decision"}',
  '{"a": NaN}',
  '{"a": Infinity}',
  '{"a": undefined}',
  '// comment\n{}',
  '\ufeff{}',
  '{"a": "\\x41"}',
  '{"a": "\\u12"}',
  '{"a": 01}',
  '[1, 2',
  'null x',
  '<?xml version="1.0"?><a/>',
  'rule=sss-decision&caseRef=1',
  '\u0000',
  '"unterminated',
  '{"a":"b"}{"c":"d"}',
];
