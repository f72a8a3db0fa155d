import * as z from 'zod';

/**
 * The Step Functions API's wire format (AWS JSON 1.0): every call is `POST /` with the action in
 * `X-Amz-Target: AWSStepFunctions.<Action>` and a JSON body; errors are HTTP 400 with
 * `{"__type": "<Code>", "message": "..."}`. Only the actions below are served.
 */

/** An error the API reports to the caller, with the code AWS uses for it. */
export class SfnError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const targetPrefix = 'AWSStepFunctions.';

// The length is the request's constraint (a ValidationException, as AWS answers a name of 81
// characters); the characters a name may not hold are InvalidName, checked by names.ts.
const name = z.string().min(1).max(80);
const arn = z.string().min(1).max(256);
const nextToken = z.string().min(1).max(1024).optional();
const maxResults = z.number().int().min(0).max(1000).optional();
const json = z.string().max(256 * 1024);

export const requests = {
  CreateStateMachine: z.object({
    name,
    definition: z.string().min(1).max(1024 * 1024),
    roleArn: arn,
    type: z.enum(['STANDARD', 'EXPRESS']).optional(),
  }),
  DescribeStateMachine: z.object({ stateMachineArn: arn }),
  ListStateMachines: z.object({ maxResults, nextToken }),
  StartExecution: z.object({
    stateMachineArn: arn,
    name: name.optional(),
    input: json.optional(),
    traceHeader: z.string().optional(),
  }),
  StopExecution: z.object({
    executionArn: arn,
    error: z.string().max(256).optional(),
    cause: z.string().max(32768).optional(),
  }),
  DescribeExecution: z.object({ executionArn: arn }),
  ListExecutions: z.object({
    stateMachineArn: arn,
    statusFilter: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']).optional(),
    maxResults,
    nextToken,
  }),
  GetExecutionHistory: z.object({
    executionArn: arn,
    maxResults,
    reverseOrder: z.boolean().optional(),
    nextToken,
    includeExecutionData: z.boolean().optional(),
  }),
} as const;

export type Action = keyof typeof requests;
export type Request<A extends Action> = z.infer<(typeof requests)[A]>;

export function isAction(value: string): value is Action {
  return Object.hasOwn(requests, value);
}

/** Parses a request body the way AWS does: bad JSON and bad members are different errors. */
export function parseRequest<A extends Action>(action: A, body: string): Request<A> {
  let raw: unknown;
  try {
    raw = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw new SfnError('SerializationException', 'the request body is not valid JSON');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SfnError('SerializationException', 'the request body must be a JSON object');
  }
  const parsed = requests[action].safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const lines = issues.map((issue) => {
      const field = issue.path.map(String).join('.') || '(body)';
      return `Value at '${field}' failed to satisfy constraint: ${issue.message}`;
    });
    throw new SfnError(
      'ValidationException',
      `${issues.length} validation error${issues.length === 1 ? '' : 's'} detected: ${lines.join('; ')}`,
    );
  }
  return parsed.data as Request<A>;
}

/** Timestamps travel as epoch seconds, with milliseconds as the fraction. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** Pagination tokens are opaque to callers; ours carry the offset of the next page. */
export function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

export function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const parsed = z.object({ offset: z.number().int().min(0) }).parse(JSON.parse(Buffer.from(token, 'base64url').toString()));
    return parsed.offset;
  } catch {
    throw new SfnError('InvalidToken', 'the nextToken is not one this service issued');
  }
}

/** AWS's page size when the caller gives none (or 0). */
export function pageSize(maxResults: number | undefined): number {
  return maxResults === undefined || maxResults === 0 ? 100 : maxResults;
}
