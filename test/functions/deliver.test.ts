import { describe, expect, test, vi } from 'vitest';
import { ENV } from '../../contract/index.ts';
import { localTimeText } from '../../shared/i18n/index.ts';
import type { Member } from '../../shared/base/index.ts';
import { type Milestone, findRule } from '../../shared/rules/index.ts';
import type { Mail } from '../../functions/adapters/mail.ts';
import type { Store } from '../../functions/adapters/store/index.ts';
import { DeliveryFailedError, deliverMilestone } from '../../functions/app/deliver.ts';
import { DirectoryCache, recipientsFor } from '../../functions/app/recipients.ts';
import { demoStoreEachTest, obligation, open, sentAtOnce } from './support.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
let store: Store;
const { ses } = demoStoreEachTest((fresh) => (store = fresh));

const users = (members: readonly Member[]): string[] => members.map((member) => member.user).sort();

/** Uralsk's department must decide on special social services: three working days. */
const decision = obligation({ id: 'sss-1', rule: 'sss-decision', org: 'zko-uralsk-akimat-sss', assignee: 'aliya.sss', startText: '2026-03-16T10:00' });
/** A submission sent by Uralsk's commission to school No. 12. */
const submission = obligation({
  id: 'sub-1',
  rule: 'submission-reply',
  org: 'zko-uralsk-school-12',
  issuedBy: 'zko-uralsk-kdn',
  startText: '2026-02-02T10:00',
});

function milestoneOf(plan: { milestones: readonly Milestone[] }, id: string): Milestone {
  const milestone = plan.milestones.find((candidate) => candidate.id === id);
  if (milestone === undefined) throw new Error(`no milestone ${id}: ${plan.milestones.map((m) => m.id).join(', ')}`);
  return milestone;
}

describe('recipientsFor', () => {
  test('the assignee when he holds the acting role, else everyone with it in the unit', async () => {
    expect(users(await recipientsFor(store.directory, decision, 'akimat-department'))).toEqual(['aliya.sss']);
    const { assignee: _assignee, ...unassigned } = obligation({ id: 'chk-1', rule: 'offender-check', org: 'zko-uralsk-police-dv', startText: '2026-03-16T10:00' });
    expect(users(await recipientsFor(store.directory, unassigned, 'inspector'))).toEqual(['aigerim.inspector', 'nurlan.inspector']);
    const stranger = { ...unassigned, assignee: 'asel.inspector' };
    expect(users(await recipientsFor(store.directory, stranger, 'inspector'))).toEqual(['aigerim.inspector', 'nurlan.inspector']);
  });

  test('heads are found up the hierarchy: the department head in the department, the deputy akim at the akimat above it', async () => {
    expect(users(await recipientsFor(store.directory, decision, 'akimat-department-head'))).toEqual(['serik.sss-head']);
    expect(users(await recipientsFor(store.directory, decision, 'deputy-akim'))).toEqual(['marat.deputy-akim']);
    const check = obligation({ id: 'chk-2', rule: 'offender-check', org: 'zko-burlin-police-dv', startText: '2026-03-16T10:00' });
    expect(users(await recipientsFor(store.directory, check, 'unit-head'))).toEqual(['ruslan.unit-head']);
    expect(users(await recipientsFor(store.directory, check, 'regional-head'))).toEqual(['berik.regional-head']);
    expect(users(await recipientsFor(store.directory, check, 'committee-head'))).toEqual(['samat.committee-head']);
  });

  test("a quarterly report: the unit head acts for a district unit, the regional head for a region's, each told up the line", async () => {
    const district = obligation({ id: 'uqr-d', rule: 'unit-quarterly-report', variant: 'district', org: 'zko-uralsk-police-dv', startText: '2026-03-31' });
    expect(users(await recipientsFor(store.directory, district, 'unit-head'))).toEqual(['yerlan.unit-head']);
    expect(users(await recipientsFor(store.directory, district, 'regional-head'))).toEqual(['berik.regional-head']);
    const region = obligation({ id: 'uqr-r', rule: 'unit-quarterly-report', variant: 'region', org: 'zko-police', assignee: 'berik.regional-head', startText: '2026-03-31' });
    expect(users(await recipientsFor(store.directory, region, 'regional-head'))).toEqual(['berik.regional-head']);
    expect(users(await recipientsFor(store.directory, region, 'committee-head'))).toEqual(['samat.committee-head']);
  });

  test("a commission's secretary and chair come from the commission that issued it", async () => {
    expect(users(await recipientsFor(store.directory, submission, 'commission-secretary'))).toEqual(['dana.secretary']);
    expect(users(await recipientsFor(store.directory, { ...submission, issuedBy: 'zko-burlin-kdn' }, 'commission-chair'))).toEqual(['arman.chair']);
    expect(users(await recipientsFor(store.directory, submission, 'addressee-head'))).toEqual(['bolat.director']);
  });

  test('a role nobody holds: nobody, no error', async () => {
    expect(await recipientsFor(store.directory, decision, 'committee-head')).toEqual([]);
    expect(await recipientsFor(store.directory, { ...decision, org: 'zko-uralsk' }, 'akimat-department')).toEqual([]);
    const { issuedBy: _issuedBy, ...unissued } = submission;
    expect(await recipientsFor(store.directory, unissued, 'commission-secretary')).toEqual([]);
  });

  test('the directory is read once per unit within one cache', async () => {
    const reads: string[] = [];
    const counting = {
      organisation: (org: string) => (reads.push(`org ${org}`), store.directory.organisation(org)),
      members: (org: string) => (reads.push(`members ${org}`), store.directory.members(org)),
    };
    const directory = new DirectoryCache(counting);
    await recipientsFor(directory, decision, 'deputy-akim');
    await recipientsFor(directory, decision, 'deputy-akim');
    await recipientsFor(directory, decision, 'akimat-department-head');
    expect(reads.sort()).toEqual(['members zko-uralsk-akimat', 'members zko-uralsk-akimat-sss', 'org zko-uralsk-akimat', 'org zko-uralsk-akimat-sss']);
  });
});

describe('deliverMilestone', () => {
  const now = () => Date.parse('2026-03-18T04:00:00Z');

  test('one e-mail per recipient in Kazakh and Russian with the due time; a second call sends nothing', async () => {
    await open(store, decision);
    const rule = sentAtOnce(findRule(decision.rule));
    const reminder = milestoneOf(decision.plan, 'reminder-1');
    const first = await deliverMilestone({ store, mail: ses.mail(), now }, decision, rule, reminder);
    expect(first).toEqual({ queued: [], sent: ['aliya.sss'], skipped: [], inDoubt: [], unreachable: [] });

    const mails = await ses.sent();
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.destination.to).toEqual(['sss.uralsk@akimat.demo.kz']);
    const due = localTimeText(decision.dueAt, true);
    expect(mail?.subject).toContain(decision.caseRef);
    expect(mail?.subject).toContain(due);
    expect(mail?.body.text).toContain('ҚАЗАҚША');
    expect(mail?.body.text).toContain('РУССКИЙ');
    expect(mail?.body.text).toContain(`Мерзімі: ${due}`);
    expect(mail?.body.text).toContain(`Срок: ${due}`);
    expect(mail?.body.text).toContain('Отдел занятости и социальных программ города Уральск');
    expect(mail?.body.text).not.toContain('aliya');

    const notices = await store.outbox.notices(decision.id);
    expect(notices).toEqual([expect.objectContaining({ recipient: 'aliya.sss', milestone: 'reminder-1', status: 'sent', messageId: mail?.messageId })]);

    const second = await deliverMilestone({ store, mail: ses.mail(), now }, decision, rule, reminder);
    expect(second).toEqual({ queued: [], sent: [], skipped: ['aliya.sss'], inDoubt: [], unreachable: [] });
    expect(await ses.sent()).toHaveLength(1);
  });

  test('escalation to the deputy akim a level up; a role nobody holds is reported, not fatal', async () => {
    await open(store, decision);
    const milestone = { ...milestoneOf(decision.plan, 'escalation-2-1'), notify: ['deputy-akim', 'committee-head'] as const };
    const result = await deliverMilestone({ store, mail: ses.mail(), now }, decision, sentAtOnce(findRule(decision.rule)), milestone);
    expect(result).toEqual({ queued: [], sent: ['marat.deputy-akim'], skipped: [], inDoubt: [], unreachable: ['committee-head'] });
    expect((await ses.sent()).map((mail) => mail.destination.to)).toEqual([['deputy-akim.uralsk@akimat.demo.kz']]);
  });

  test("one recipient's failure does not stop the others; it waits in the failed list, and a retry sends only it", async () => {
    await open(store, submission);
    const rule = sentAtOnce(findRule(submission.rule));
    const escalation = milestoneOf(submission.plan, 'escalation-1-1');
    expect(escalation.notify).toEqual(['addressee-head', 'commission-secretary']);
    const real = ses.mail();
    const failing: Mail = {
      send: async (message) => {
        if (message.to === 'kdn-secretary.uralsk@akimat.demo.kz') throw sesAnswered('Throttling', 400);
        return real.send(message);
      },
    };
    const error = await deliverMilestone({ store, mail: failing, now }, submission, rule, escalation).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect((error as DeliveryFailedError).failed).toBe(1);
    expect((error as DeliveryFailedError).message).toMatch(/^1 of 2 notices/);
    expect((error as DeliveryFailedError).result.sent).toEqual(['bolat.director']);
    expect((await ses.sent()).map((mail) => mail.destination.to)).toEqual([['director.school12.uralsk@edu.demo.kz']]);
    expect((await store.outbox.failedNotices()).items).toEqual([
      expect.objectContaining({ obligationId: submission.id, recipient: 'dana.secretary', status: 'failed', attempts: 1, lastError: 'Throttling (HTTP 400)' }),
    ]);

    // SES said no: nothing is in doubt, the Task's retry sends the missing one at once.
    const retry = await deliverMilestone({ store, mail: real, now }, submission, rule, escalation);
    expect(retry).toEqual({ queued: [], sent: ['dana.secretary'], skipped: ['bolat.director'], inDoubt: [], unreachable: [] });
    const mails = await ses.sent();
    expect(mails.map((mail) => mail.destination.to).sort()).toEqual([['director.school12.uralsk@edu.demo.kz'], ['kdn-secretary.uralsk@akimat.demo.kz']]);
    expect(mails.find((mail) => mail.destination.to[0] === 'kdn-secretary.uralsk@akimat.demo.kz')?.body.text).toContain('ст. 479 КоАП');
    expect((await store.outbox.failedNotices()).items).toEqual([]);
    expect((await store.outbox.notices(submission.id)).find((notice) => notice.recipient === 'dana.secretary')).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await deliverMilestone({ store, mail: real, now }, submission, rule, escalation)).toEqual({
      sent: [],
      queued: [],
      skipped: ['bolat.director', 'dana.secretary'],
      inDoubt: [],
      unreachable: [],
    });
    expect(await ses.sent()).toHaveLength(2);
  });

  test('a claim whose sender died is in doubt: not sent again until SES says it went, or five minutes pass without a word', async () => {
    await open(store, decision);
    const rule = sentAtOnce(findRule(decision.rule));
    const reminder = milestoneOf(decision.plan, 'reminder-1');
    // The sender dies after SES took the message, before it wrote "sent".
    const dying: Mail = {
      send: async (message) => {
        await ses.mail().send(message);
        throw new Error('the process died');
      },
    };
    await expect(deliverMilestone({ store, mail: dying, now }, decision, rule, reminder)).rejects.toBeInstanceOf(DeliveryFailedError);
    const [mail] = await ses.sent();
    const address = mail?.headers?.find((header) => header.name === 'X-Merzim-Notice')?.value ?? '';
    expect(address).toMatch(new RegExp(`^${decision.id}/NOTE#reminder-1#`));

    // A retry moments later neither sends nor claims it was told.
    const doubted = await deliverMilestone({ store, mail: ses.mail(), now }, decision, rule, reminder).then(
      () => undefined,
      (caught: unknown) => caught as DeliveryFailedError,
    );
    expect(doubted?.result).toEqual({ queued: [], sent: [], skipped: [], inDoubt: ['aliya.sss'], unreachable: [] });
    expect(await ses.sent()).toHaveLength(1);

    // SES's Send event names the notice: it is sent, and no later retry sends it again.
    expect(await store.outbox.markNoticeSentByAddress(address, mail?.messageId ?? '', now())).toBe(true);
    const later = () => now() + 6 * 60_000;
    expect(await deliverMilestone({ store, mail: ses.mail(), now: later }, decision, rule, reminder)).toEqual({ queued: [], sent: [], skipped: ['aliya.sss'], inDoubt: [], unreachable: [] });
    expect(await ses.sent()).toHaveLength(1);
  });

  test('a claim whose sender died before SES took the message is sent again once five minutes passed', async () => {
    await open(store, decision);
    const rule = sentAtOnce(findRule(decision.rule));
    const reminder = milestoneOf(decision.plan, 'reminder-1');
    const dead: Mail = {
      send: async () => {
        throw new Error('the process died');
      },
    };
    await expect(deliverMilestone({ store, mail: dead, now }, decision, rule, reminder)).rejects.toBeInstanceOf(DeliveryFailedError);
    expect(await ses.sent()).toHaveLength(0);
    const inFour = () => now() + 4 * 60_000;
    await expect(deliverMilestone({ store, mail: ses.mail(), now: inFour }, decision, rule, reminder)).rejects.toBeInstanceOf(DeliveryFailedError);
    expect(await ses.sent()).toHaveLength(0);
    const inSix = () => now() + 6 * 60_000;
    expect(await deliverMilestone({ store, mail: ses.mail(), now: inSix }, decision, rule, reminder)).toEqual({ queued: [], sent: ['aliya.sss'], skipped: [], inDoubt: [], unreachable: [] });
    expect(await ses.sent()).toHaveLength(1);
  });
});

/** An error as the AWS SDK throws it when SES answered with an error status. */
function sesAnswered(name: string, httpStatusCode: number): Error {
  return Object.assign(new Error(`SES: ${name}`), { name, $metadata: { httpStatusCode } });
}

describe('SesMail', () => {
  test('from the environment: the sender from MAIL_FROM, the endpoint from AWS_ENDPOINT_URL_SESV2, a configuration set if one is named, the notice header', async () => {
    const { SesMail } = await import('../../functions/adapters/ses-mail.ts');
    process.env.AWS_ENDPOINT_URL_SESV2 = ses.endpoint();
    process.env[ENV.mailConfigurationSet] = 'merzim-test-events';
    try {
      const { messageId } = await SesMail.fromEnv().send({ to: 'office@edu.demo.kz', subject: 'Еске салу / Напоминание', text: 'Іс: KDN-1\nДело: KDN-1', notice: 'OBL-1/NOTE#due' });
      const [mail] = await ses.sent();
      expect(mail).toMatchObject({
        messageId,
        from: 'merzim@merzim.demo.kz',
        subject: 'Еске салу / Напоминание',
        body: { text: 'Іс: KDN-1\nДело: KDN-1' },
        headers: [{ name: 'X-Merzim-Notice', value: 'OBL-1/NOTE#due' }],
      });
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SESV2;
      delete process.env[ENV.mailConfigurationSet];
    }
  });
});
