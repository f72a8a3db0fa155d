import { InputError } from '../../shared/base/errors.ts';

/** The obligation, organisation or override asked for does not exist (404). */
export class NotFoundError extends InputError {
  override readonly name = 'NotFoundError';
}

/** The request conflicts with what is stored (409): a used Idempotency-Key with another body. */
export class ConflictError extends InputError {
  override readonly name = 'ConflictError';
}

/** The caller may not do this (403). */
export class ForbiddenError extends InputError {
  override readonly name = 'ForbiddenError';
}
