import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ENV } from '../../contract/index.ts';
import { sesClient } from './aws/ses.ts';
import { requiredEnv } from './env.ts';
import { type Mail, type MailMessage, NOTICE_HEADER } from './mail.ts';

/**
 * Mail through SES v2 (`SendEmail`, simple content), UTF-8 subject and body: the texts are Kazakh
 * and Russian. Version 2 of the API, because only it sends a header of ours (NOTICE_HEADER).
 */
export class SesMail implements Mail {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  static fromEnv(): SesMail {
    // The stage's configuration set (bounce and complaint events), when it has one.
    const configurationSet = process.env[ENV.mailConfigurationSet];
    return new SesMail(sesClient(), requiredEnv(ENV.mailFrom), configurationSet === '' ? undefined : configurationSet);
  }

  async send({ to, subject, text, notice }: MailMessage): Promise<{ messageId: string }> {
    const { MessageId } = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: subject, Charset: 'UTF-8' },
            Body: { Text: { Data: text, Charset: 'UTF-8' } },
            ...(notice === undefined ? {} : { Headers: [{ Name: NOTICE_HEADER, Value: notice }] }),
          },
        },
        ...(this.configurationSet === undefined ? {} : { ConfigurationSetName: this.configurationSet }),
      }),
    );
    if (MessageId === undefined) throw new Error('SES accepted the message but returned no MessageId');
    return { messageId: MessageId };
  }
}
