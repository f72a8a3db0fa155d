/** One plain-text e-mail to one work mailbox. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /**
   * The outbox item the message carries out (`<obligationId>/<notice key>`), sent as the
   * `X-Merzim-Notice` header: SES's Send event names it again, which is how a notice whose
   * sender died before writing "sent" is known to have gone out (see functions/app/mail-events.ts).
   */
  readonly notice?: string;
}

/** Where notices and digests go out. */
export interface Mail {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

/** The header that names a message's outbox item; SES events carry the message's headers. */
export const NOTICE_HEADER = 'X-Merzim-Notice';
