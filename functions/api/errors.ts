import { type PersonalDataKind, type RefusalAnswer, RefusedError } from '../../shared/base/index.ts';

/**
 * The API's own refusals: a request that does not parse, a body that is not JSON, no verified
 * token, too many requests. Each says its status and answer (shared/base/errors.ts).
 */

export interface RequestIssue {
  readonly path: string;
  readonly message: string;
  /** An action plan's row (1-based; 0 is the plan itself). */
  readonly row?: number;
  /** The kind of personal data the field holds, where that is why it was refused. */
  readonly personalData?: PersonalDataKind;
}

/**
 * The request does not parse (400): each issue names the field and the reason. A body whose only
 * fault is personal data in its texts parses, but cannot be taken: 422, each issue naming the
 * field and the kind (`iin`, `phone`, `email`, `full-name`). A header or a path holding it is 400.
 */
export class RequestInvalidError extends RefusedError {
  override readonly name = 'RequestInvalidError';
  readonly kind: 'malformed' | 'invalid';
  readonly status: 400 | 422;
  constructor(
    message: string,
    readonly issues: readonly RequestIssue[],
    { personalDataIs422 = false }: { readonly personalDataIs422?: boolean } = {},
  ) {
    super(message);
    this.status = personalDataIs422 && issues.length > 0 && issues.every((issue) => issue.personalData !== undefined) ? 422 : 400;
    this.kind = this.status === 422 ? 'invalid' : 'malformed';
  }

  /** Every issue, also when there is none. */
  override get answer(): RefusalAnswer {
    return { message: this.message, issues: this.issues };
  }
}

/** The body is not JSON, or not JSON at all (400 / 415). */
export class BodyUnreadableError extends RefusedError {
  override readonly name = 'BodyUnreadableError';
  readonly kind = 'malformed';
  constructor(
    message: string,
    readonly status: 400 | 415,
    /** What the answer names as wrong: the body, or its content type. */
    field: 'body' | 'content-type' = status === 415 ? 'content-type' : 'body',
  ) {
    super(message, { field });
  }
}

/** No verified token, or one without the claims the API needs (401). */
export class UnauthorizedError extends RefusedError {
  override readonly name = 'UnauthorizedError';
  readonly kind = 'unauthorized';
  readonly status = 401;
  constructor(message: string) {
    super(message);
  }

  override get headers(): Readonly<Record<string, string>> {
    return { 'www-authenticate': 'Bearer' };
  }
}

/** A request over the caller's limit (429): `retryAfter` whole seconds until one more is allowed. */
export class RateLimitedError extends RefusedError {
  override readonly name = 'RateLimitedError';
  readonly kind = 'too-many';
  readonly status = 429;
  constructor(readonly retryAfter: number) {
    super(`too many requests: try again in ${retryAfter} s`);
  }

  override get headers(): Readonly<Record<string, string>> {
    return { 'retry-after': String(this.retryAfter) };
  }
}
