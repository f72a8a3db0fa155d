import { RefusedError } from '../../shared/base/index.ts';

/** The obligation, organisation or override asked for does not exist (404). */
export class NotFoundError extends RefusedError {
  override readonly name = 'NotFoundError';
  readonly kind = 'not-found';
  readonly status = 404;
  /** The answer names no field: what is missing is the path's. */
  constructor(message: string) {
    super(message);
  }
}

/** The request conflicts with what is stored (409): a used Idempotency-Key with another body. */
export class ConflictError extends RefusedError {
  override readonly name = 'ConflictError';
  readonly kind = 'conflict';
  readonly status = 409;
  constructor(message: string) {
    super(message);
  }
}

/** The caller may not do this (403). */
export class ForbiddenError extends RefusedError {
  override readonly name = 'ForbiddenError';
  readonly kind = 'forbidden';
  readonly status = 403;
}
