import { Aws, type RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { mailConfigurationSetName, resourcePrefix, type Stage } from './config.ts';

/**
 * The SES events that reach `mail-events`: Send marks sent a notice whose sender died before
 * marking it (exactly once across a crash); a bounce or a complaint marks the notice, and goes in
 * its obligation's audit trail where it has one (a digest or a morning mail of digests has none).
 */
export const MAIL_EVENTS: readonly ses.EmailSendingEvent[] = [ses.EmailSendingEvent.SEND, ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT];

export interface MerzimMailProps {
  readonly stage: Stage;
  /** The SES identity (domain or address) mail is sent as. */
  readonly mailIdentity: string;
  /** Create the identity in this stack; else it exists already (verified by hand, see docs/DEPLOY.md). */
  readonly createMailIdentity: boolean;
  /** The `mail-events` function. */
  readonly handler: lambda.IFunction;
  readonly key: kms.IKey;
  /** DESTROY for dev, RETAIN for prod (the topic, a created identity). */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Mail as SES sees it: the configuration set `merzim-<stage>` every message names
 * (`ENV.mailConfigurationSet`), the sender identity, and an event destination that publishes
 * sends, bounces and complaints to an encrypted SNS topic, to which `mail-events` is subscribed.
 */
export class MerzimMail extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly topic: sns.Topic;
  /** The identity's ARN, whether created here or referred to. */
  readonly identityArn: string;

  constructor(scope: Construct, id: string, props: MerzimMailProps) {
    super(scope, id);
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: mailConfigurationSetName(props.stage),
      reputationMetrics: true,
      sendingEnabled: true,
    });

    if (props.createMailIdentity) {
      const identity = new ses.EmailIdentity(this, 'Identity', {
        identity: props.mailIdentity.includes('@') ? ses.Identity.email(props.mailIdentity) : ses.Identity.domain(props.mailIdentity),
        configurationSet: this.configurationSet,
      });
      identity.applyRemovalPolicy(props.removalPolicy);
      this.identityArn = identity.emailIdentityArn;
    } else {
      this.identityArn = `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/${props.mailIdentity}`;
    }

    this.topic = new sns.Topic(this, 'Events', {
      topicName: `${resourcePrefix(props.stage)}-mail-events`,
      displayName: `Merzim ${props.stage}: SES sends, bounces and complaints`,
      masterKey: props.key,
      enforceSSL: true,
    });
    this.topic.applyRemovalPolicy(props.removalPolicy);
    // CDK adds the topic policy that lets SES publish for this configuration set; the key policy lets SES use the key.
    this.configurationSet.addEventDestination('ToTopic', {
      configurationSetEventDestinationName: 'mail-events',
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [...MAIL_EVENTS],
    });
    // SNS invokes the function asynchronously: its failures go to the failed-invocations queue.
    this.topic.addSubscription(new subscriptions.LambdaSubscription(props.handler));
  }
}
