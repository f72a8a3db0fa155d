import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Mail } from '../../functions/adapters/mail.ts';
import { type NoticeRecord, type Store, digestExpiresAt, noticeExpiresAt } from '../../functions/adapters/store/index.ts';
import { deliverMilestone } from '../../functions/app/deliver.ts';
import { digestOutboxId } from '../../functions/app/digest.ts';
import { sendMorningMail } from '../../functions/app/morning.ts';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { handleMailEvents } from '../../functions/app/mail-events.ts';
import { ENV } from '../../contract/index.ts';
import { handler } from '../../functions/handlers/mail-events.ts';
import { type Milestone, findRule } from '../../shared/rules/index.ts';
import { sharedDynamoDbLocal } from '../local/support.ts';
import { logLines } from '../support/log.ts';
import { freshStore, loadDemoDirectory, obligation, open, setFunctionEnv, sharedSesLocal, sentAtOnce } from './support.ts';

/**
 * SES's bounce and complaint events, as a configuration set publishes them to SNS and SNS hands
 * them to the `mail-events` function, for notices really sent through the local SES.
 */

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
setFunctionEnv();
const dynamodb = sharedDynamoDbLocal();
const ses = sharedSesLocal();
let current: Awaited<ReturnType<typeof freshStore>> | undefined;
let store: Store;
beforeEach(async () => {
  current = await freshStore(dynamodb.endpoint());
  store = current.store;
  await loadDemoDirectory(store);
  await ses.clear();
  // For the handler itself, which reads its table from the environment.
  process.env[ENV.table] = current.table;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamodb.endpoint();
});
afterEach(() => current?.close());

const DAY_S = 86_400;
const sentAt = Date.parse('2026-03-18T04:00:00Z');
const now = () => sentAt;

/** Uralsk's department must decide on special social services: three working days. */
const decision = obligation({ id: 'sss-1', rule: 'sss-decision', org: 'zko-uralsk-akimat-sss', assignee: 'aliya.sss', startText: '2026-03-16T10:00' });

function milestoneOf(id: string): Milestone {
  const milestone = decision.plan.milestones.find((candidate) => candidate.id === id);
  if (milestone === undefined) throw new Error(`no milestone ${id}`);
  return milestone;
}

/** Sends the decision's first reminder for real (local SES) and returns its outbox item. */
async function sentNotice(): Promise<NoticeRecord> {
  await open(store, decision);
  await deliverMilestone({ store, mail: ses.mail(), now }, decision, sentAtOnce(findRule(decision.rule)), milestoneOf('reminder-1'));
  const [notice] = await store.outbox.notices(decision.id);
  if (notice?.messageId === undefined) throw new Error('the notice was not sent');
  return notice;
}

/** An SES event as the configuration set publishes it (event publishing, JSON), fields abridged but real. */
function sesEvent(eventType: 'Bounce' | 'Complaint' | 'Delivery' | 'Send', messageId: string, extra: Record<string, unknown> = {}) {
  const destination = ['sss.uralsk@akimat.demo.kz'];
  const base = {
    eventType,
    mail: {
      timestamp: '2026-03-18T04:00:00.000Z',
      source: 'merzim@merzim.demo.kz',
      sourceArn: 'arn:aws:ses:eu-central-1:000000000000:identity/merzim.demo.kz',
      sendingAccountId: '000000000000',
      messageId,
      destination,
      headersTruncated: false,
      tags: { 'ses:configuration-set': ['merzim-test-events'] },
      commonHeaders: { from: ['merzim@merzim.demo.kz'], to: destination, messageId, subject: 'Еске салу' },
    },
  };
  const details = {
    Bounce: {
      bounce: {
        feedbackId: '0102018e-feedback',
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: destination[0], action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
        timestamp: '2026-03-18T04:00:05.000Z',
        reportingMTA: 'dsn; a1-2.smtp-out.eu-central-1.amazonses.com',
      },
    },
    Complaint: {
      complaint: {
        feedbackId: '0102018e-complaint',
        complaintSubType: null,
        complainedRecipients: [{ emailAddress: destination[0] }],
        timestamp: '2026-03-18T05:00:00.000Z',
        userAgent: 'Mail client',
        complaintFeedbackType: 'abuse',
        arrivalDate: '2026-03-18T05:00:00.000Z',
      },
    },
    Send: { send: {} },
    Delivery: {
      delivery: { timestamp: '2026-03-18T04:00:02.000Z', processingTimeMillis: 2000, recipients: destination, smtpResponse: '250 ok', reportingMTA: 'a1-2.smtp-out' },
    },
  }[eventType];
  return { ...base, ...details, ...extra };
}

/** The SNS event Lambda receives: one record per SES event, the event as JSON text. */
function snsEvent(...messages: unknown[]) {
  return {
    Records: messages.map((message, index) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:eu-central-1:000000000000:merzim-test-mail-events:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55',
      Sns: {
        Type: 'Notification',
        MessageId: `95df01b4-ee98-5cb9-9903-4c221d41eb5${index}`,
        TopicArn: 'arn:aws:sns:eu-central-1:000000000000:merzim-test-mail-events',
        Subject: null,
        Message: typeof message === 'string' ? message : JSON.stringify(message),
        Timestamp: '2026-03-18T04:00:06.000Z',
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertUrl: 'https://sns.eu-central-1.amazonaws.com/SimpleNotificationService-example.pem',
        UnsubscribeUrl: 'https://sns.eu-central-1.amazonaws.com/?Action=Unsubscribe',
        MessageAttributes: {},
      },
    })),
  };
}

describe('the outbox', () => {
  test('a notice, claimed and sent, expires a year after its milestone; its message id leads back to it', async () => {
    await open(store, decision);
    const reminder = milestoneOf('reminder-1');
    const claimed: NoticeRecord[] = [];
    // What the outbox holds while the mail goes out: the claim.
    const watching: Mail = {
      send: async (message) => {
        claimed.push(...(await store.outbox.notices(decision.id)));
        return ses.mail().send(message);
      },
    };
    await deliverMilestone({ store, mail: watching, now }, decision, sentAtOnce(findRule(decision.rule)), reminder);
    expect(claimed).toEqual([expect.objectContaining({ status: 'pending', expiresAt: Math.floor(reminder.at / 1000) + 365 * DAY_S })]);
    expect(noticeExpiresAt(reminder.at)).toBe(Math.floor(reminder.at / 1000) + 365 * DAY_S);

    const [sent] = await store.outbox.notices(decision.id);
    expect(sent).toMatchObject({ status: 'sent', messageId: expect.any(String), expiresAt: Math.floor(reminder.at / 1000) + 365 * DAY_S });
    expect(await store.outbox.noticeByMessageId(sent?.messageId ?? '')).toEqual(sent);
    expect(await store.outbox.noticeByMessageId('no-such-message')).toBeUndefined();
  });

  test('a digest expires 30 days after it was sent', async () => {
    const morning = Date.parse('2026-03-20T03:00:00Z');
    const overdue = obligation({ id: 'sub-1', rule: 'submission-reply', org: 'zko-uralsk-school-12', issuedBy: 'zko-uralsk-kdn', status: 'overdue', startText: '2026-02-02T10:00' });
    await open(store, overdue);
    const summary = await sendMorningMail({ store, mail: ses.mail(), now: () => morning, calendar: async () => kazakhstan() }, morning);
    expect(summary.sent).toBeGreaterThan(0);
    const digests = await store.outbox.notices(digestOutboxId('2026-03-20'));
    expect(digests).toHaveLength(summary.sent);
    for (const digest of digests) expect(digest.expiresAt).toBe(digestExpiresAt(morning));
    expect(digestExpiresAt(morning)).toBe(Math.floor(morning / 1000) + 30 * DAY_S);
  });
});

describe('mail-events', () => {
  test('a permanent bounce: the notice bounced, notice-bounced in the audit trail with milestone, role and kind, no address', async () => {
    const notice = await sentNotice();
    const summary = await handleMailEvents({ store, now: () => sentAt + 10_000 }, snsEvent(sesEvent('Bounce', notice.messageId ?? '')));
    expect(summary).toMatchObject({ records: 1, bounced: 1, complained: 0, unknown: 0 });
    expect((await store.outbox.notices(decision.id))[0]?.status).toBe('bounced');
    const events = (await store.obligations.events(decision.id)).filter((event) => event.type === 'notice-bounced');
    expect(events).toEqual([
      expect.objectContaining({
        type: 'notice-bounced',
        by: 'merzim',
        at: Date.parse('2026-03-18T04:00:05.000Z'),
        revision: 1,
        details: { milestone: 'reminder-1', role: 'akimat-department', kind: 'permanent' },
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('@');
  });

  test('a complaint: complained, kind complaint; the same event again changes nothing and records nothing twice', async () => {
    const notice = await sentNotice();
    const event = snsEvent(sesEvent('Complaint', notice.messageId ?? ''));
    expect(await handleMailEvents({ store, now }, event)).toMatchObject({ complained: 1, repeated: 0 });
    expect(await handleMailEvents({ store, now }, event)).toMatchObject({ complained: 0, repeated: 1 });
    expect((await store.outbox.notices(decision.id))[0]?.status).toBe('complained');
    const events = (await store.obligations.events(decision.id)).filter((entry) => entry.type === 'notice-bounced');
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toEqual({ milestone: 'reminder-1', role: 'akimat-department', kind: 'complaint' });
  });

  test('a delivery is let be; an unknown message id is logged and ignored; a record that is no SES event is counted', async () => {
    const notice = await sentNotice();
    const summary = await handleMailEvents(
      { store, now },
      snsEvent(sesEvent('Delivery', notice.messageId ?? ''), sesEvent('Bounce', 'unknown-message-id'), 'not json', { hello: 'world' }),
    );
    expect(summary).toEqual({ records: 4, bounced: 0, complained: 0, confirmed: 0, repeated: 0, unknown: 1, ignored: 1, invalid: 2 });
    expect((await store.outbox.notices(decision.id))[0]?.status).toBe('sent');
    expect((await store.obligations.events(decision.id)).filter((entry) => entry.type === 'notice-bounced')).toEqual([]);
  });

  test('a Send event marks sent the notice its X-Merzim-Notice header names, once: what a restart needs after its sender died', async () => {
    await open(store, decision);
    const reminder = milestoneOf('reminder-1');
    // The sender died after SES took the message, before writing "sent": the claim is in doubt.
    const dying = { send: async (message: Parameters<ReturnType<typeof ses.mail>['send']>[0]) => (await ses.mail().send(message), Promise.reject(new Error('died'))) };
    await expect(deliverMilestone({ store, mail: dying, now }, decision, sentAtOnce(findRule(decision.rule)), reminder)).rejects.toThrow();
    const [mail] = await ses.sent();
    expect((await store.outbox.notices(decision.id))[0]?.status).toBe('pending');

    const send = sesEvent('Send', mail?.messageId ?? '', {});
    const withHeaders = { ...send, mail: { ...send.mail, headers: mail?.headers } };
    expect(await handleMailEvents({ store, now }, snsEvent(withHeaders))).toMatchObject({ confirmed: 1, repeated: 0 });
    expect(await handleMailEvents({ store, now }, snsEvent(withHeaders))).toMatchObject({ confirmed: 0, repeated: 1 });
    expect((await store.outbox.notices(decision.id))[0]).toMatchObject({ status: 'sent', messageId: mail?.messageId });
    // The way back by MessageId is written too: a later bounce finds the notice.
    expect(await handleMailEvents({ store, now }, snsEvent(sesEvent('Bounce', mail?.messageId ?? '')))).toMatchObject({ bounced: 1 });
    // A Send event of a message without the header (not Merzim's) is let be.
    expect(await handleMailEvents({ store, now }, snsEvent(sesEvent('Send', 'other-message')))).toMatchObject({ ignored: 1 });
  });

  test('a bounced digest: marked, no audit entry (it belongs to no obligation)', async () => {
    const morning = Date.parse('2026-03-20T03:00:00Z');
    await open(store, obligation({ id: 'sub-1', rule: 'submission-reply', org: 'zko-uralsk-school-12', issuedBy: 'zko-uralsk-kdn', status: 'overdue', startText: '2026-02-02T10:00' }));
    await sendMorningMail({ store, mail: ses.mail(), now: () => morning, calendar: async () => kazakhstan() }, morning);
    const [digest] = await store.outbox.notices(digestOutboxId('2026-03-20'));
    expect(await handleMailEvents({ store, now }, snsEvent(sesEvent('Bounce', digest?.messageId ?? '', { bounce: { bounceType: 'Transient' } })))).toMatchObject({ bounced: 1 });
    expect((await store.outbox.notices(digestOutboxId('2026-03-20'))).find((item) => item.messageId === digest?.messageId)?.status).toBe('bounced');
  });

  test('the function: an SNS event of SES events; its log lines hold no address', async () => {
    const notice = await sentNotice();
    let summary: unknown;
    const lines = await logLines(async () => {
      summary = await handler(snsEvent(sesEvent('Bounce', notice.messageId ?? ''), sesEvent('Bounce', 'unknown-message-id')));
    });
    expect(summary).toMatchObject({ records: 2, bounced: 1, unknown: 1 });
    expect((await store.outbox.notices(decision.id))[0]?.status).toBe('bounced');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(expect.objectContaining({ message: 'mail-events: notice marked', obligationId: decision.id, milestone: 'reminder-1', kind: 'permanent' }));
    expect(entries).toContainEqual(expect.objectContaining({ message: 'mail-events: no notice for this message', messageId: 'unknown-message-id' }));
    expect(entries).toContainEqual(expect.objectContaining({ message: 'mail-events: done', records: 2, bounced: 1, unknown: 1 }));
    expect(lines.join('\n')).not.toContain('@');
    expect(lines.join('\n')).not.toContain(decision.caseRef);
  });
});
