import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RunningService } from './dynamodb.ts';
import { OutputTail, freePort, ownChild, stopChild, waitUntilAnswers } from './process.ts';

/**
 * Starts `aws-ses-v2-local` in its own Node process on a free loopback port and resolves once it
 * answers its health check. A process of its own, because the package keeps its mailbox in
 * module state: two runtimes in one process would otherwise share one mailbox.
 * The mailbox is readable at `GET <endpoint>/store`.
 */
export async function startSesLocal(): Promise<RunningService> {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('aws-ses-v2-local/package.json')), 'dist', 'cli.js');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = ownChild(
      spawn(process.execPath, [cli, '--host', '127.0.0.1', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    const tail = new OutputTail();
    child.stdout.on('data', (chunk: Buffer) => tail.append(chunk));
    child.stderr.on('data', (chunk: Buffer) => tail.append(chunk));
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await waitUntilAnswers(
        child,
        async () => {
          const response = await fetch(`${endpoint}/health-check`);
          if (!response.ok) throw new Error(`health check answered ${response.status}`);
        },
        () => `the local SES on port ${port}${tail.toString() === '' ? '' : `: ${tail.toString()}`}`,
      );
      return { endpoint, stop: () => stopChild(child) };
    } catch (error) {
      await stopChild(child);
      lastError = error;
    }
  }
  throw lastError;
}
