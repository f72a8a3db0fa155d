import { SFNClient } from '@aws-sdk/client-sfn';

/** Step Functions, made once per container (see ./dynamodb.ts for why one module per client). */
let sfn: SFNClient | undefined;

export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({});
  return sfn;
}
