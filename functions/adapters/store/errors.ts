import { ChangedMeanwhileError } from '../../../shared/base/index.ts';

/** What the store throws when a conditional write finds the table otherwise than the caller expected. */

/** Someone else wrote the obligation since it was read: read again and retry, or give up. */
export class StaleObligationError extends ChangedMeanwhileError {
  override readonly name = 'StaleObligationError';
}

/** An obligation with this id exists already. */
export class ObligationExistsError extends Error {
  override readonly name = 'ObligationExistsError';
}

/** The Idempotency-Key was used before: the record says for what. */
export class IdempotencyKeyUsedError extends Error {
  override readonly name = 'IdempotencyKeyUsedError';
}

/**
 * Another request with the same Idempotency-Key is being written at this very moment (DynamoDB
 * cancels one of two transactions on the same item with TransactionConflict): wait, then read
 * the record it leaves.
 */
export class IdempotencyKeyBusyError extends Error {
  override readonly name = 'IdempotencyKeyBusyError';
}

/** Thrown for a cursor that is not a place in a work list (the API answers 400). */
export class CursorInvalidError extends Error {
  override readonly name = 'CursorInvalidError';
}
