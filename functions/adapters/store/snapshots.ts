import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { snapshotKey, snapshotsCondition } from './keys.ts';
import { type Snapshot, SnapshotSchema } from './records.ts';
import { type Table, queryAll, recordOf } from './table.ts';

/** The weekly counts per unit and rule that the heads' trend reads (issue 19). */
export class SnapshotRepository {
  constructor(private readonly table: Table) {}

  /** Writes a unit's weekly snapshot: `SNAP#<org>` / the week's end; taken again, it replaces itself. */
  async putSnapshot(snapshot: Snapshot): Promise<void> {
    await this.table.documents.send(new PutCommand({ TableName: this.table.name, Item: { ...snapshotKey(snapshot), ...SnapshotSchema.parse(snapshot) } }));
  }

  /** A unit's snapshots of the weeks ending from `from` to `to` (Sundays, inclusive): one query. */
  async snapshots(org: string, from: string, to: string): Promise<Snapshot[]> {
    const items = await queryAll(this.table, snapshotsCondition(org, from, to));
    return items.map((item) => SnapshotSchema.parse(recordOf(item)));
  }
}
