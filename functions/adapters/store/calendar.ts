import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type CalendarOverride, CalendarOverrideSchema } from '../../../shared/calendar/index.ts';
import { calendarOverrideKey, calendarOverridesCondition, calendarVersionKey } from './keys.ts';
import { type Table, conditionFailed, queryAll } from './table.ts';

/**
 * The administrator's overrides of Kazakhstan's working-day calendar, and their version: a
 * counter each change moves in the same transaction, so that a function keeps the calendar it
 * built and reads one small item, not every override, to know it is current.
 */
export class CalendarRepository {
  constructor(private readonly table: Table) {}

  async calendarOverrides(): Promise<CalendarOverride[]> {
    const items = await queryAll(this.table, calendarOverridesCondition());
    return items.map((item) => CalendarOverrideSchema.parse(item));
  }

  /** The overrides' version: 0 before the first change. Read strongly: an override just recorded is seen by the next opening. */
  async calendarVersion(): Promise<number> {
    const { Item } = await this.table.documents.send(new GetCommand({ TableName: this.table.name, Key: calendarVersionKey(), ConsistentRead: true, ProjectionExpression: '#version', ExpressionAttributeNames: { '#version': 'version' } }));
    const version: unknown = Item?.['version'];
    return typeof version === 'number' ? version : 0;
  }

  async putCalendarOverride(override: CalendarOverride, by: string, at: number): Promise<void> {
    await this.table.documents.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: this.table.name, Item: { ...calendarOverrideKey(override.date), ...override, by, at } } }, { Update: this.#nextVersion() }],
      }),
    );
  }

  /** False when there was no override on that date. */
  async deleteCalendarOverride(date: string): Promise<boolean> {
    try {
      await this.table.documents.send(
        new TransactWriteCommand({
          TransactItems: [{ Delete: { TableName: this.table.name, Key: calendarOverrideKey(date), ConditionExpression: 'attribute_exists(pk)' } }, { Update: this.#nextVersion() }],
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error, 0)) return false;
      throw error;
    }
  }

  #nextVersion() {
    return {
      TableName: this.table.name,
      Key: calendarVersionKey(),
      UpdateExpression: 'ADD #version :one',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':one': 1 },
    };
  }
}
