/**
 * The errors a caller is told about: each carries how it is refused (its kind), the HTTP status
 * the API answers with and what the answer says, so that functions/api/middleware.ts turns any of
 * them into an answer without asking which it is. The CLI shows InputError's message and exits 2.
 * Any other error is a defect: the API answers 500, the CLI keeps its stack.
 */

/** How a request is refused. */
export type RefusalKind = 'malformed' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict' | 'invalid' | 'too-many';

/** One thing wrong with a request: the field, and why. */
export interface RefusalIssue {
  readonly path: string;
  readonly message: string;
}

/** The body of a refusal's answer. */
export interface RefusalAnswer {
  readonly message: string;
  readonly issues?: readonly RefusalIssue[];
}

export abstract class RefusedError extends Error {
  override readonly name: string = 'RefusedError';
  abstract readonly kind: RefusalKind;
  /** The HTTP status the API answers with. */
  abstract readonly status: number;
  /** The request's field that is wrong, where the code knows it (`rule`, `variant`, `count`). */
  readonly field: string | undefined;
  constructor(message: string, options: { readonly field?: string } = {}) {
    super(message);
    this.field = options.field;
  }

  /** What the answer says: the message, and the field as its one issue where there is one. */
  get answer(): RefusalAnswer {
    return { message: this.message, ...(this.field === undefined ? {} : { issues: [{ path: this.field, message: this.message }] }) };
  }

  /** Headers the answer carries besides its content type. */
  get headers(): Readonly<Record<string, string>> {
    return {};
  }
}

/**
 * Input that the domain cannot take (422): a malformed date, an unknown rule, a date outside the
 * calendar data. Callers show the message as it is (the CLI exits 2).
 */
export class InputError extends RefusedError {
  override readonly name: string = 'InputError';
  readonly kind: RefusalKind = 'invalid';
  readonly status: number = 422;
}

/**
 * Someone else wrote the obligation since it was read (409): the caller reads it again and
 * retries. The answer says so, not the store's message, which names versions.
 */
export class ChangedMeanwhileError extends RefusedError {
  override readonly name: string = 'ChangedMeanwhileError';
  readonly kind = 'conflict';
  readonly status = 409;
  override get answer(): RefusalAnswer {
    return { message: 'the obligation is being changed by someone else right now: read it again and retry' };
  }
}
