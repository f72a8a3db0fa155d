/** What an in-process Lambda handler receives besides its event. */
export interface LambdaContext {
  readonly functionName: string;
  readonly invokedFunctionArn: string;
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/** A Lambda handler run in-process: the same function a bundle exports as `handler`. */
export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

/** A function's configuration, as its template gives it. */
export interface FunctionOptions {
  /** The function's `Timeout`, in seconds. */
  readonly timeoutSeconds?: number;
}

export interface ResolvedFunction {
  readonly functionName: string;
  readonly handler: LambdaHandler;
  /** How long an invocation may run before Lambda ends it (`Sandbox.Timedout`). */
  readonly timeoutSeconds: number;
}

/** Lambda's own default when a function is created without a `Timeout`. */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 3;

/**
 * Which in-process handler a Task's Lambda resource runs. Register by function name or by full
 * ARN; a lookup by ARN falls back to the function name in it, as Lambda itself accepts both.
 */
export class HandlerRegistry {
  readonly #handlers = new Map<string, LambdaHandler>();
  readonly #timeouts = new Map<string, number>();

  /**
   * Registering again replaces the code but keeps the configuration given before, as Lambda's
   * UpdateFunctionCode does: a wrapper registered over a function keeps the function's timeout.
   */
  register(functionNameOrArn: string, handler: LambdaHandler, options: FunctionOptions = {}): this {
    this.#handlers.set(functionNameOrArn, handler);
    if (options.timeoutSeconds !== undefined) {
      if (!Number.isFinite(options.timeoutSeconds) || options.timeoutSeconds <= 0) {
        throw new RangeError(`a function's timeout must be a positive number of seconds, not ${String(options.timeoutSeconds)}`);
      }
      this.#timeouts.set(functionNameOrArn, options.timeoutSeconds);
    }
    return this;
  }

  unregister(functionNameOrArn: string): void {
    this.#handlers.delete(functionNameOrArn);
    this.#timeouts.delete(functionNameOrArn);
  }

  resolve(functionNameOrArn: string): ResolvedFunction | undefined {
    const functionName = lambdaFunctionName(functionNameOrArn);
    const key = this.#handlers.has(functionNameOrArn) ? functionNameOrArn : functionName;
    const handler = this.#handlers.get(key);
    if (handler === undefined) return undefined;
    const timeoutSeconds = this.#timeouts.get(key) ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS;
    return { functionName, handler, timeoutSeconds };
  }
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` or a bare name → the name. */
export function lambdaFunctionName(functionNameOrArn: string): string {
  const match = /(?:^|:)function:([^:]+)(?::[^:]+)?$/.exec(functionNameOrArn);
  return match?.[1] ?? functionNameOrArn;
}
