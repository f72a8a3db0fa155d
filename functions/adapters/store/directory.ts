import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Member, MemberSchema, type Organisation, OrganisationSchema } from '../../../shared/base/index.ts';
import { directoryGapKey, directoryGapsCondition, memberKey, membersCondition, organisationKey, organisationsCondition } from './keys.ts';
import { type DirectoryGap, DirectoryGapSchema } from './records.ts';
import { type Table, queryAll, recordOf } from './table.ts';

/** The organisation directory: units, their members, and the roles a milestone found nobody holding. */
export class DirectoryRepository {
  constructor(private readonly table: Table) {}

  async organisations(): Promise<Organisation[]> {
    const items = await queryAll(this.table, organisationsCondition());
    return items.map((item) => OrganisationSchema.parse(recordOf(item)));
  }

  async organisation(org: string): Promise<Organisation | undefined> {
    const { Item } = await this.table.documents.send(new GetCommand({ TableName: this.table.name, Key: organisationKey(org) }));
    return Item === undefined ? undefined : OrganisationSchema.parse(recordOf(Item));
  }

  async members(org: string): Promise<Member[]> {
    const items = await queryAll(this.table, membersCondition(org));
    return items.map((item) => MemberSchema.parse(recordOf(item)));
  }

  async putOrganisation(organisation: Organisation): Promise<void> {
    await this.table.documents.send(new PutCommand({ TableName: this.table.name, Item: { ...organisationKey(organisation.org), ...OrganisationSchema.parse(organisation) } }));
  }

  async putMember(member: Member): Promise<void> {
    await this.table.documents.send(new PutCommand({ TableName: this.table.name, Item: { ...memberKey(member), ...MemberSchema.parse(member) } }));
  }

  /** Records roles nobody held when a milestone sought them; a gap missed again keeps when it was first missed. */
  async recordDirectoryGaps(gaps: readonly { org: string; role: string; obligationId: string; milestone: string; seenAt: number }[]): Promise<void> {
    await Promise.all(
      gaps.map((gap) =>
        this.table.documents.send(
          new UpdateCommand({
            TableName: this.table.name,
            Key: directoryGapKey(gap),
            UpdateExpression: 'SET org = :org, #role = :role, obligationId = :obligation, milestone = :milestone, lastSeenAt = :at, firstSeenAt = if_not_exists(firstSeenAt, :at)',
            ExpressionAttributeNames: { '#role': 'role' },
            ExpressionAttributeValues: { ':org': gap.org, ':role': gap.role, ':obligation': gap.obligationId, ':milestone': gap.milestone, ':at': gap.seenAt },
          }),
        ),
      ),
    );
  }

  /** Every directory gap recorded, by unit and role; filled ones too (the caller checks the directory). */
  async directoryGaps(): Promise<DirectoryGap[]> {
    const items = await queryAll(this.table, directoryGapsCondition());
    return items.map((item) => DirectoryGapSchema.parse(recordOf(item)));
  }
}
