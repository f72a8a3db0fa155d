import { Aws, Duration, TimeZone } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { SCHEDULE_TIME_ZONE, SCHEDULES, type FunctionName } from '../contract/index.ts';
import { pascal, resourcePrefix, type Stage } from './config.ts';
import type { DeadLetters } from './dead-letters.ts';
import { acknowledgeAll, invokeVersionsFinding } from './nag.ts';

export interface MerzimSchedulesProps {
  readonly stage: Stage;
  readonly functions: Readonly<Record<FunctionName, lambda.IFunction>>;
  /** What Scheduler could not hand to a function goes to `failedSchedules`. */
  readonly deadLetters: DeadLetters;
}

type ScheduleSpec = (typeof SCHEDULES)[keyof typeof SCHEDULES];

/** `cron(0 8 * * ? *)` or `rate(1 hour)`, always in Astana time. */
function expressionOf(spec: ScheduleSpec, timeZone: TimeZone): scheduler.ScheduleExpression {
  if ('cron' in spec) {
    return scheduler.ScheduleExpression.cron({ ...spec.cron, timeZone });
  }
  // ScheduleExpression.rate() drops the time zone; say it anyway, so every schedule reads the same.
  return scheduler.ScheduleExpression.expression(events.Schedule.rate(Duration.hours(spec.rate.hours)).expressionString, timeZone);
}

/**
 * One EventBridge Scheduler schedule per `SCHEDULES` entry, invoking its function with
 * `{"scheduledAt": …}`: two retries within an hour, then the failed-schedules queue. The
 * schedules share one role: invoke the scheduled functions, send to that queue.
 */
export class MerzimSchedules extends Construct {
  readonly byName: Readonly<Record<keyof typeof SCHEDULES, scheduler.Schedule>>;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MerzimSchedulesProps) {
    super(scope, id);
    const timeZone = TimeZone.of(SCHEDULE_TIME_ZONE);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: `Merzim ${props.stage}: EventBridge Scheduler invokes the scheduled functions`,
    });
    const deadLetterQueue = props.deadLetters.failedSchedules;
    props.deadLetters.grantSend(this.role, deadLetterQueue);
    const byName = {} as Record<keyof typeof SCHEDULES, scheduler.Schedule>;

    for (const [name, spec] of Object.entries(SCHEDULES) as [keyof typeof SCHEDULES, ScheduleSpec][]) {
      byName[name] = new scheduler.Schedule(this, pascal(name), {
        scheduleName: `${resourcePrefix(props.stage)}-${name}`,
        description: `Merzim ${props.stage}: ${name}`,
        schedule: expressionOf(spec, timeZone),
        target: new targets.LambdaInvoke(props.functions[spec.function], {
          input: scheduler.ScheduleTargetInput.fromObject({ scheduledAt: scheduler.ContextAttribute.scheduledTime }),
          role: this.role,
          deadLetterQueue,
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
        }),
      });
    }
    this.byName = byName;
    acknowledgeAll(
      this.role,
      [...new Set(Object.values(SCHEDULES).map((spec) => spec.function))].map((name) => invokeVersionsFinding(props.functions[name])),
      'CDK grants lambda:InvokeFunction on each scheduled function and on its versions and aliases (<function ARN>:*): the scheduled functions, nothing else.',
    );
  }
}
