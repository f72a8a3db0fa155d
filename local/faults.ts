import { type IncomingMessage, type Server, type ServerResponse, createServer, request as forward } from 'node:http';

/**
 * A loopback proxy in front of a local service (DynamoDB Local, the local SES) that can be told
 * to fail: what AWS does on a bad day, on this machine. Requests pass through unchanged until
 * `fail` is called; then the chosen share of them gets the service's own error answer, which the
 * AWS SDK reads as it would from AWS (throttling is retried with backoff, 5xx too).
 */

export type Fault =
  /** DynamoDB's ThrottlingException (HTTP 400, AWS JSON 1.0). */
  | 'dynamodb-throttling'
  /** SES v2 (REST JSON) answering 503 ServiceUnavailable. */
  | 'ses-unavailable';

export interface FaultCounts {
  readonly passed: number;
  readonly failed: number;
}

const ANSWERS: Record<Fault, { status: number; headers: Record<string, string>; body: string }> = {
  'dynamodb-throttling': {
    status: 400,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' }),
  },
  'ses-unavailable': {
    status: 503,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceUnavailable' },
    body: JSON.stringify({ message: 'Service is unavailable. Try again later.' }),
  },
};

export class FaultyEndpoint {
  #server: Server | undefined;
  #fault: { kind: Fault; share: number } | undefined;
  #passed = 0;
  #failed = 0;
  #draw = 0;

  constructor(private readonly target: string) {}

  /** Listens on a free loopback port; resolves with the endpoint to give clients. */
  async start(): Promise<string> {
    const target = new URL(this.target);
    const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
      if (this.#fault !== undefined && this.#fails(this.#fault.share)) {
        this.#failed += 1;
        const answer = ANSWERS[this.#fault.kind];
        incoming.resume();
        outgoing.writeHead(answer.status, answer.headers);
        outgoing.end(answer.body);
        return;
      }
      this.#passed += 1;
      const upstream = forward(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      upstream.on('error', () => outgoing.destroy());
      incoming.pipe(upstream);
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the fault proxy has no port');
    return `http://127.0.0.1:${address.port}`;
  }

  /** From now on, `share` (0–1) of the requests get the fault's answer: every n-th, not at random, so runs repeat. */
  fail(kind: Fault, share = 1): void {
    this.#fault = { kind, share };
  }

  heal(): void {
    this.#fault = undefined;
  }

  get counts(): FaultCounts {
    return { passed: this.#passed, failed: this.#failed };
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #fails(share: number): boolean {
    this.#draw += share;
    if (this.#draw >= 1) {
      this.#draw -= 1;
      return true;
    }
    return false;
  }
}
