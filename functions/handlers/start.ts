import { Executions } from '../adapters/executions.ts';
import { type ObligationWritten, type StartSummary, startNewRevisions } from '../app/start.ts';
import { obligationOfImage } from '../adapters/store/index.ts';
import { StreamBatchSchema } from '../../contract/index.ts';
import { lambdaHandler } from './chain.ts';

// Starting needs Step Functions alone: no table, no mail client to load.
let executions: Executions | undefined;

/**
 * The table's stream, filtered by its Pipe to obligations that need a timer (STREAM_START_FILTER):
 * starts the timer of every new revision. A failure fails the batch, which the Pipe delivers
 * again (starting is idempotent); a record it gives up on is left to the reconciler.
 */
export const handler = lambdaHandler({
  lines: { done: 'start: done', failed: 'start: failed' },
  prepare: (input): { executions: Executions; writes: ObligationWritten[] } => {
    const writes = StreamBatchSchema.parse(input).flatMap((record): ObligationWritten[] => {
      const after = record.dynamodb.NewImage === undefined ? undefined : obligationOfImage(record.dynamodb.NewImage);
      if (after === undefined) return [];
      const before = record.dynamodb.OldImage === undefined ? undefined : obligationOfImage(record.dynamodb.OldImage);
      return [before === undefined ? { after } : { after, before }];
    });
    return { executions: (executions ??= Executions.fromEnv()), writes };
  },
  run: ({ executions, writes }): Promise<StartSummary> => startNewRevisions({ executions }, writes),
  fields: ({ writes }) => ({ records: writes.length }),
  done: (summary) => ({ started: summary.started.length, obligationIds: summary.started }),
});
