import * as z from 'zod';
import { type RouteSpec, authorize, json, parseInput } from './http.ts';
import { checkCursor, readPage } from './lists.ts';
import { integer } from './schemas.ts';

/**
 * GET /notices/failed: the dead-letter list, for the administrator. Notices whose last attempt to
 * send failed (SES refused or was down), oldest milestone first, with why and how many attempts;
 * a notice leaves the list when a later attempt sends it (the step's retry, or the reconciler's
 * restart of a timer that gave up). The recipient is a work identity; no address, no text.
 */

export const FailedNoticesQuerySchema = z.strictObject({
  limit: integer(1, 100, 'limit').optional(),
  cursor: z.string().max(2048).optional(),
});

export const FailedNoticeSchema = z.object({
  obligationId: z.string(),
  milestone: z.string(),
  milestoneAt: z.string().describe('When the milestone fell (UTC)'),
  recipient: z.string().describe('The work identity to be told'),
  role: z.string(),
  attempts: z.number().int(),
  lastError: z.string().describe('The error of the last attempt: its name and HTTP status'),
});
export const FailedNoticesResponseSchema = z.object({ notices: z.array(FailedNoticeSchema), cursor: z.string().optional() });

export const failedNoticesRoute: RouteSpec = {
  async run({ event, app, scope }) {
    await authorize(scope, { kind: 'notices:failed' });
    const query = parseInput('query', FailedNoticesQuerySchema, event.queryStringParameters ?? {});
    checkCursor(query.cursor);
    const { items, cursor } = await readPage(query.cursor, () => app.store.outbox.failedNotices(query.limit ?? 100, query.cursor));
    const notices = items.map((notice) => ({
      obligationId: notice.obligationId,
      milestone: notice.milestone,
      milestoneAt: new Date(notice.milestoneAt).toISOString(),
      recipient: notice.recipient,
      role: notice.role,
      attempts: notice.attempts ?? 1,
      lastError: notice.lastError ?? 'unknown',
    }));
    return json(200, { notices, ...(cursor === undefined ? {} : { cursor }) });
  },
};
