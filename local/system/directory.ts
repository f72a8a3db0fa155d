import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Directory, DirectorySchema } from '../../shared/base/index.ts';
import { conditionFailed, memberKey, organisationKey } from '../../functions/adapters/store/index.ts';

/** The demo organisation directory: West Kazakhstan region, two districts, no real people. */
export const DEMO_DIRECTORY_PATH = join(import.meta.dirname, '..', 'demo', 'directory.json');

export function readDirectory(path = DEMO_DIRECTORY_PATH): Directory {
  const parsed = DirectorySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue === undefined ? 'invalid' : `${issue.path.join('.')}: ${issue.message}`}`);
  }
  return parsed.data;
}

/** The items the store reads: `DIR` / `ORG#<org>` per organisation, `ORG#<org>` / `MEMBER#<user>` per member. */
export function directoryItems(directory: Directory): Record<string, unknown>[] {
  return [
    ...directory.organisations.map((organisation) => ({ ...organisationKey(organisation.org), ...organisation })),
    ...directory.members.map((member) => ({ ...memberKey(member), ...member })),
  ];
}

/**
 * Writes the directory into `table`. Each item is written only if it is not there yet, so a
 * second load changes nothing, and an organisation or member changed through the API since stays
 * as it was changed. Returns how many items were new.
 */
export async function loadDirectory(client: DynamoDBClient, table: string, directory: Directory): Promise<number> {
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  let written = 0;
  for (const item of directoryItems(directory)) {
    try {
      await documents.send(new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      written++;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  }
  return written;
}
