import { type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Asks the kernel for a loopback port nobody holds right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('the kernel gave no port'));
      });
    });
  });
}

/** The last lines a child wrote, kept to explain why it died. */
export class OutputTail {
  #text = '';

  constructor(readonly limit = 4000) {}

  append(chunk: Buffer | string): void {
    this.#text = (this.#text + chunk.toString()).slice(-this.limit);
  }

  toString(): string {
    return this.#text.trim();
  }
}

/**
 * Polls `probe` until it resolves, failing early when the child exits or a spawn error occurs,
 * and after `timeoutMs` otherwise.
 */
export async function waitUntilAnswers(
  child: ChildProcess,
  probe: () => Promise<void>,
  describe: () => string,
  timeoutMs = 60_000,
): Promise<void> {
  let died: Error | undefined;
  const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
    died = new Error(`${describe()} exited before it answered (${signal ?? `status ${String(code)}`})`);
  };
  const onError = (error: Error): void => {
    died = error;
  };
  child.once('exit', onExit);
  child.once('error', onError);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (died !== undefined) throw died;
      try {
        await probe();
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`${describe()} did not answer within ${timeoutMs / 1000} s`, { cause: error });
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    child.off('exit', onExit);
    child.off('error', onError);
  }
}

const living = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Keeps `child` from outliving this process: however this process exits (a test runner
 * tearing down its worker, an uncaught error), the services it started go with it.
 */
export function ownChild<C extends ChildProcess>(child: C): C {
  living.add(child);
  child.once('exit', () => living.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const orphan of living) orphan.kill('SIGKILL');
    });
  }
  return child;
}

/** Ends a child politely, then firmly; resolves once it is gone. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  // A child that never started (its command is missing) has no process to end.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
