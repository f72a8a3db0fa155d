import type { Texts } from '../base/index.ts';

/**
 * One row of a commission's art. 479 list: a submission whose addressee has not replied by the
 * last day. The API answers it (`GET /reports/unanswered-submissions`), the dashboard shows it.
 */
export interface UnansweredSubmission {
  readonly id: string;
  readonly org: string;
  readonly addressee: Texts;
  readonly caseRef: string;
  /** The day the addressee received the submission. */
  readonly received: string;
  /** The last day to reply, as it stands (an extension moves it). */
  readonly due: string;
  readonly daysOverdue: number;
  readonly grounds: Texts;
  readonly cite: Texts;
}
