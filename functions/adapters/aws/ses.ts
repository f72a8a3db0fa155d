import { SESv2Client } from '@aws-sdk/client-sesv2';

/** SES v2, made once per container (see ./dynamodb.ts for why one module per client). */
let ses: SESv2Client | undefined;

export function sesClient(): SESv2Client {
  ses ??= new SESv2Client({});
  return ses;
}
