import { describe, expect, test } from 'vitest';
import { InputError } from '../../shared/base/index.ts';
import { ActRefusedError } from '../../shared/obligations/index.ts';
import { UnknownRuleError } from '../../shared/rules/index.ts';
import { StaleObligationError } from '../../functions/adapters/store/index.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../functions/app/errors.ts';
import { BodyUnreadableError, RateLimitedError, RequestInvalidError, UnauthorizedError } from '../../functions/api/errors.ts';
import { responseFor } from '../../functions/api/middleware.ts';

/**
 * Each refusal answers with its own status, body and headers (shared/base/errors.ts): the exact
 * bytes the dashboard and other clients read, whichever class the error is.
 */

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

const CASES: readonly [string, Error, number, Record<string, string>, string][] = [
  ['a request that does not parse', new RequestInvalidError('invalid query: limit: too big', [{ path: 'limit', message: 'too big' }]), 400, JSON_TYPE, '{"message":"invalid query: limit: too big","issues":[{"path":"limit","message":"too big"}]}'],
  ['personal data in the body', new RequestInvalidError('invalid body: note', [{ path: 'note', message: 'an IIN', personalData: 'iin' }], { personalDataIs422: true }), 422, JSON_TYPE, '{"message":"invalid body: note","issues":[{"path":"note","message":"an IIN","personalData":"iin"}]}'],
  ['no JSON body', new BodyUnreadableError('the request needs a JSON body', 400), 400, JSON_TYPE, '{"message":"the request needs a JSON body","issues":[{"path":"body","message":"the request needs a JSON body"}]}'],
  ['no token', new UnauthorizedError('sign in: this route needs a bearer token'), 401, { ...JSON_TYPE, 'www-authenticate': 'Bearer' }, '{"message":"sign in: this route needs a bearer token"}'],
  ['not the caller’s to do', new ForbiddenError('only admin may do this'), 403, JSON_TYPE, '{"message":"only admin may do this"}'],
  ['not the caller’s, naming the field', new ForbiddenError('not yours', { field: 'assignee' }), 403, JSON_TYPE, '{"message":"not yours","issues":[{"path":"assignee","message":"not yours"}]}'],
  ['nothing there', new NotFoundError('no obligation x'), 404, JSON_TYPE, '{"message":"no obligation x"}'],
  ['a used Idempotency-Key', new ConflictError('this Idempotency-Key was used'), 409, JSON_TYPE, '{"message":"this Idempotency-Key was used"}'],
  ['an act refused by the state', new ActRefusedError('closed', 'conflict'), 409, JSON_TYPE, '{"message":"closed"}'],
  ['an act nobody may record, naming the field', new ActRefusedError('no power', 'forbidden', 'act'), 403, JSON_TYPE, '{"message":"no power","issues":[{"path":"act","message":"no power"}]}'],
  ['an act that never applies', new ActRefusedError('no such variant', 'invalid', 'variant'), 422, JSON_TYPE, '{"message":"no such variant","issues":[{"path":"variant","message":"no such variant"}]}'],
  ['too many requests', new RateLimitedError(3), 429, { ...JSON_TYPE, 'retry-after': '3' }, '{"message":"too many requests: try again in 3 s"}'],
  ['written meanwhile', new StaleObligationError('obligation x changed since version 4'), 409, JSON_TYPE, '{"message":"the obligation is being changed by someone else right now: read it again and retry"}'],
  ['input the domain cannot take', new InputError('2038-01-01 is outside the calendar', { field: 'start' }), 422, JSON_TYPE, '{"message":"2038-01-01 is outside the calendar","issues":[{"path":"start","message":"2038-01-01 is outside the calendar"}]}'],
  ['an unknown rule', new UnknownRuleError('unknown rule "x"', { field: 'rule' }), 422, JSON_TYPE, '{"message":"unknown rule \\"x\\"","issues":[{"path":"rule","message":"unknown rule \\"x\\""}]}'],
];

describe('refusals answer for themselves', () => {
  test.each(CASES)('%s', (_name, error, status, headers, body) => {
    expect(responseFor(error, 'request-1', 'GET /x')).toEqual({ statusCode: status, headers, body });
  });

  test('anything else is a defect: 500 with the request id, its message not told', () => {
    expect(responseFor(new Error('the table is gone'), 'request-1', 'GET /x')).toEqual({ statusCode: 500, headers: JSON_TYPE, body: '{"message":"internal error","requestId":"request-1"}' });
  });
});
