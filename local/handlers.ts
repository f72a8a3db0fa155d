/** What an in-process Lambda handler receives besides its event. */
export interface LambdaContext {
  readonly functionName: string;
  readonly invokedFunctionArn: string;
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/** A Lambda handler run in-process: the same function a bundle exports as `handler`. */
export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

export interface ResolvedFunction {
  readonly functionName: string;
  readonly handler: LambdaHandler;
}

/**
 * Which in-process handler a Task's Lambda resource runs. Register by function name or by full
 * ARN; a lookup by ARN falls back to the function name in it, as Lambda itself accepts both.
 */
export class HandlerRegistry {
  readonly #handlers = new Map<string, LambdaHandler>();

  register(functionNameOrArn: string, handler: LambdaHandler): this {
    this.#handlers.set(functionNameOrArn, handler);
    return this;
  }

  unregister(functionNameOrArn: string): void {
    this.#handlers.delete(functionNameOrArn);
  }

  resolve(functionNameOrArn: string): ResolvedFunction | undefined {
    const functionName = lambdaFunctionName(functionNameOrArn);
    const handler = this.#handlers.get(functionNameOrArn) ?? this.#handlers.get(functionName);
    return handler === undefined ? undefined : { functionName, handler };
  }
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` or a bare name → the name. */
export function lambdaFunctionName(functionNameOrArn: string): string {
  const match = /(?:^|:)function:([^:]+)(?::[^:]+)?$/.exec(functionNameOrArn);
  return match?.[1] ?? functionNameOrArn;
}
