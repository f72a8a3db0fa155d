import { describe, expect, test } from 'vitest';
import { openApiDocument } from '../../functions/api/openapi.ts';
import { NoticeViewSchema, noticeView } from '../../functions/api/views.ts';
import { UndocumentedAnswerError, checkAgainstDocument } from '../api/support.ts';

/**
 * Issue 17, finding 8: the OpenAPI document said a notice is pending, sent, bounced or
 * complained, while the API shows `failed` ones (the dead-letter list). The views are now typed
 * by their schemas, and every answer of the API tests is checked against the document
 * (`checkAgainstDocument` in test/api/support.ts, called by `call`); here, that the check refuses
 * what the document does not say.
 */

type Json = Record<string, unknown>;
const JSON_HEADERS = { 'content-type': 'application/json' };

describe('finding 8: the OpenAPI document says what the API answers', () => {
  test('a failed notice is shown, and the document lists its status', () => {
    const failed = noticeView({
      obligationId: 'o1',
      revision: 1,
      milestone: 'm1',
      milestoneAt: Date.parse('2026-03-20T09:00:00+05:00'),
      recipient: 'aliya.sss',
      email: 'aliya.sss@sss.gov.kz',
      role: 'akimat-department',
      subject: 'Еске салу',
      status: 'failed',
      claimedAt: Date.parse('2026-03-20T09:00:01+05:00'),
      attempts: 3,
      lastError: 'ServiceUnavailable 503',
    });
    expect(failed).toEqual({ milestone: 'm1', recipient: 'aliya.sss', role: 'akimat-department', status: 'failed' });
    expect(NoticeViewSchema.safeParse(failed).success).toBe(true);

    const detail = (openApiDocument() as { paths: Record<string, Record<string, Json>> }).paths['/obligations/{id}']?.['get'] as Json;
    const schema = (detail['responses'] as Record<string, { content: Record<string, { schema: Json }> }>)['200']?.content['application/json']?.schema as {
      properties: { notices: { items: { properties: { status: { enum: string[] } } } } };
    };
    expect(schema.properties.notices.items.properties.status.enum).toEqual(['queued', 'withdrawn', 'pending', 'sent', 'failed', 'bounced', 'complained']);
  });

  test('an answer the document does not describe fails the API test that receives it', () => {
    const answer = (status: number, body: unknown, headers: Record<string, string> = JSON_HEADERS) => ({ status, headers, body });
    // Documented: GET /rules/{id} may answer 404 with an error body.
    expect(() => checkAgainstDocument('GET /rules/{id}', answer(404, { message: 'no rule x' }))).not.toThrow();
    const refused: [string, ReturnType<typeof answer>][] = [
      ['a status the operation does not list', answer(409, { message: 'conflict' })],
      ['a property the schema leaves out', answer(404, { message: 'no rule x', stack: 'Error: at …' })],
      ['a body of the wrong shape', answer(404, { error: 'no rule x' })],
      ['another media type', answer(404, { message: 'no rule x' }, { 'content-type': 'text/plain' })],
      ['a body where the document says none', answer(204, { message: 'removed' })],
    ];
    for (const [what, given] of refused) {
      const route = what.startsWith('a body where') ? 'DELETE /calendar/overrides/{date}' : 'GET /rules/{id}';
      expect(() => checkAgainstDocument(route, given), what).toThrow(UndocumentedAnswerError);
    }
  });
});
