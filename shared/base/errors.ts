/**
 * Input that the domain cannot take: a malformed date, an unknown rule, a date outside the
 * calendar data. Callers show the message as it is (the CLI exits 2, the API answers 4xx).
 * Any other error is a defect.
 */
export class InputError extends Error {
  override readonly name: string = 'InputError';
  /** The request's field that is wrong, where the domain knows it (`rule`, `variant`, `count`). */
  readonly field: string | undefined;
  constructor(message: string, options: { readonly field?: string } = {}) {
    super(message);
    this.field = options.field;
  }
}
