import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type CalendarOverride, CalendarOverrideSchema } from '../../../shared/calendar/index.ts';
import { calendarOverrideKey, calendarOverridesCondition } from './keys.ts';
import { type Table, queryAll } from './table.ts';

/** The administrator's overrides of Kazakhstan's working-day calendar. */
export class CalendarRepository {
  constructor(private readonly table: Table) {}

  async calendarOverrides(): Promise<CalendarOverride[]> {
    const items = await queryAll(this.table, calendarOverridesCondition());
    return items.map((item) => CalendarOverrideSchema.parse(item));
  }

  async putCalendarOverride(override: CalendarOverride, by: string, at: number): Promise<void> {
    await this.table.documents.send(new PutCommand({ TableName: this.table.name, Item: { ...calendarOverrideKey(override.date), ...override, by, at } }));
  }

  /** False when there was no override on that date. */
  async deleteCalendarOverride(date: string): Promise<boolean> {
    const { Attributes } = await this.table.documents.send(new DeleteCommand({ TableName: this.table.name, Key: calendarOverrideKey(date), ReturnValues: 'ALL_OLD' }));
    return Attributes !== undefined;
  }
}
