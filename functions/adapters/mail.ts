import { type SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { ENV } from '../contract.ts';
import { awsClients, requiredEnv } from './aws.ts';

/** One plain-text e-mail to one work mailbox. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Where notices and digests go out. */
export interface Mail {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

/** The optional SES configuration set (bounce and complaint events), when the stage has one. */
export const MAIL_CONFIGURATION_SET = 'MAIL_CONFIGURATION_SET';

/** Mail through SES (`SendEmail`), UTF-8 subject and body: the texts are Kazakh and Russian. */
export class SesMail implements Mail {
  constructor(
    private readonly ses: SESClient,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  static fromEnv(): SesMail {
    const configurationSet = process.env[MAIL_CONFIGURATION_SET];
    return new SesMail(awsClients().ses, requiredEnv(ENV.mailFrom), configurationSet === '' ? undefined : configurationSet);
  }

  async send({ to, subject, text }: MailMessage): Promise<{ messageId: string }> {
    const { MessageId } = await this.ses.send(
      new SendEmailCommand({
        Source: this.from,
        Destination: { ToAddresses: [to] },
        Message: {
          Subject: { Data: subject, Charset: 'UTF-8' },
          Body: { Text: { Data: text, Charset: 'UTF-8' } },
        },
        ...(this.configurationSet === undefined ? {} : { ConfigurationSetName: this.configurationSet }),
      }),
    );
    if (MessageId === undefined) throw new Error('SES accepted the message but returned no MessageId');
    return { messageId: MessageId };
  }
}
