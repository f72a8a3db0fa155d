import { defaultRegion, localCredentials } from './aws.ts';
import { type Clock, RealClock } from './clock.ts';
import { type Persistence, type RunningService, startDynamoDbLocal } from './dynamodb.ts';
import { HandlerRegistry } from './handlers.ts';
import { startSesLocal } from './ses.ts';
import { startSfnService } from './sfn/service.ts';

export { RealClock, VirtualClock, type Clock } from './clock.ts';
export { HandlerRegistry, type LambdaContext, type LambdaHandler } from './handlers.ts';
export { JavaMissingError, startDynamoDbLocal, type Persistence, type RunningService } from './dynamodb.ts';
export { startSesLocal } from './ses.ts';
export { startSfnService, type SfnServiceOptions } from './sfn/service.ts';
export { localClientConfig, localCredentials } from './aws.ts';

export interface LocalRuntimeOptions<C extends Clock = Clock> {
  /** Real time unless a test passes a `VirtualClock`. */
  readonly clock?: C;
  /**
   * Lambda handlers that Task states run in-process. Fill it before starting on kept data:
   * a wake-up that came due while nothing ran fires as soon as the service is up.
   */
  readonly handlers?: HandlerRegistry;
  /** DynamoDB Local's data: in memory (default) or in a folder that outlives the process. */
  readonly persistence?: Persistence;
  readonly region?: string;
  readonly account?: string;
  /**
   * An SES already running to send through instead of starting one: a mail provider that outlives
   * this runtime (a crash test kills the runtime and counts what the provider got).
   */
  readonly sesEndpoint?: string;
  /** How long the Step Functions service keeps a closed execution, in days: 90 unless given, as AWS. */
  readonly executionRetentionDays?: number;
}

export interface LocalEndpoints {
  readonly dynamodb: string;
  readonly ses: string;
  readonly sfn: string;
}

export interface LocalRuntime<C extends Clock = Clock> {
  readonly endpoints: LocalEndpoints;
  readonly clock: C;
  readonly handlers: HandlerRegistry;
  readonly region: string;
  /**
   * The standard variables that point AWS SDK clients (and the AWS CLI) at this runtime, with
   * throwaway credentials: what a function or a child process needs in its environment.
   */
  readonly env: Readonly<Record<string, string>>;
  /** Stops the services, the Step Functions service first so its runs can commit. */
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local, the local SES and the local Step Functions service on free loopback
 * ports. If any of them fails to start, the ones already up are stopped again.
 */
export async function startLocalRuntime<C extends Clock = RealClock>(options: LocalRuntimeOptions<C> = {}): Promise<LocalRuntime<C>> {
  const clock = options.clock ?? (new RealClock() as Clock as C);
  const handlers = options.handlers ?? new HandlerRegistry();
  const region = options.region ?? defaultRegion;
  const started: RunningService[] = [];
  try {
    const [dynamodb, ses] = await Promise.all([
      startDynamoDbLocal(options.persistence ?? 'memory').then((service) => (started.push(service), service)),
      options.sesEndpoint === undefined
        ? startSesLocal().then((service) => (started.push(service), service))
        : { endpoint: options.sesEndpoint, stop: async () => {} },
    ]);
    const sfn = await startSfnService({
      dynamodbEndpoint: dynamodb.endpoint,
      clock,
      handlers,
      partition: { region, account: options.account ?? '000000000000' },
      ...(options.executionRetentionDays === undefined ? {} : { retentionDays: options.executionRetentionDays }),
    });
    started.push(sfn);
    const endpoints = { dynamodb: dynamodb.endpoint, ses: ses.endpoint, sfn: sfn.endpoint };
    return {
      endpoints,
      clock,
      handlers,
      region,
      env: {
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
        AWS_ENDPOINT_URL_SES: endpoints.ses,
        AWS_ENDPOINT_URL_SESV2: endpoints.ses,
        AWS_ENDPOINT_URL_SFN: endpoints.sfn,
      },
      async stop() {
        await sfn.stop();
        await Promise.all([dynamodb.stop(), ses.stop()]);
      },
    };
  } catch (error) {
    await Promise.allSettled(started.map((service) => service.stop()));
    throw error;
  }
}

export { ScaledClock } from './clock.ts';
