import { Duration, TimeZone } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { SCHEDULE_TIME_ZONE, SCHEDULES, type FunctionName } from '../functions/contract.ts';
import { pascal, resourcePrefix, type Stage } from './config.ts';

export interface MerzimSchedulesProps {
  readonly stage: Stage;
  readonly functions: Readonly<Record<FunctionName, lambda.IFunction>>;
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

/** One EventBridge Scheduler schedule per `SCHEDULES` entry, invoking its function with `{"scheduledAt": …}`. */
export class MerzimSchedules extends Construct {
  readonly byName: Readonly<Record<keyof typeof SCHEDULES, scheduler.Schedule>>;

  constructor(scope: Construct, id: string, props: MerzimSchedulesProps) {
    super(scope, id);
    const timeZone = TimeZone.of(SCHEDULE_TIME_ZONE);
    const byName = {} as Record<keyof typeof SCHEDULES, scheduler.Schedule>;

    for (const [name, spec] of Object.entries(SCHEDULES) as [keyof typeof SCHEDULES, ScheduleSpec][]) {
      byName[name] = new scheduler.Schedule(this, pascal(name), {
        scheduleName: `${resourcePrefix(props.stage)}-${name}`,
        description: `Merzim ${props.stage}: ${name}`,
        schedule: expressionOf(spec, timeZone),
        target: new targets.LambdaInvoke(props.functions[spec.function], {
          input: scheduler.ScheduleTargetInput.fromObject({ scheduledAt: scheduler.ContextAttribute.scheduledTime }),
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
        }),
      });
    }
    this.byName = byName;
  }
}
