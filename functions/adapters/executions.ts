import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  type ExecutionStatus,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { type Obligation, timerOf } from '../../shared/model/index.ts';
import { findRule, slotTimes } from '../../shared/rules/index.ts';
import { ENV, type TimerExecutionInput, executionArn, executionName, stateMachineArn } from '../../contract/index.ts';
import { sfnClient } from './aws/sfn.ts';
import { requiredEnv } from './env.ts';
import { now as clockNow } from './clock.ts';

/**
 * The timers: one Step Functions execution per revision of an obligation, or a chain of them
 * (segments) for a plan that waits longer than a segment; the obligation records which segment
 * runs (`Obligation.timer`).
 */
export class Executions {
  constructor(
    private readonly sfn: SFNClient,
    private readonly prefix: string,
    /** When a segment starts: its waits are counted from it. */
    private readonly now: () => number = clockNow,
  ) {}

  static fromEnv(): Executions {
    return new Executions(sfnClient(), requiredEnv(ENV.stateMachinePrefix));
  }

  /** The execution of a revision's timer that the obligation says runs (or ran last). */
  arnOf(obligation: Pick<Obligation, 'id' | 'rule' | 'timer'>, revision: number): string {
    return executionArn(stateMachineArn(this.prefix, obligation.rule), executionName(obligation.id, revision, timerOf(obligation, revision).segment));
  }

  /**
   * Starts the timer of the obligation's current revision, at the segment it records (the first
   * unless a segment handed over), with every instant it waits for from the stored plan: a
   * running one is left as it is. The name says the obligation, revision and segment, so a
   * retried start never starts two.
   */
  async start(obligation: Obligation): Promise<void> {
    const segment = timerOf(obligation, obligation.revision).segment;
    const input: TimerExecutionInput = {
      obligationId: obligation.id,
      revision: obligation.revision,
      segment,
      at: slotTimes(findRule(obligation.rule), obligation.plan, this.now()),
    };
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: stateMachineArn(this.prefix, obligation.rule),
          name: executionName(obligation.id, obligation.revision, segment),
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      // The same name: a retry of a start that went through (its input's instants, counted from a
      // moment ago, may differ by the time between the two).
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  /** Stops the timer of a revision, at the segment the obligation records; one that already ended or never started is no error. */
  async stop(obligation: Pick<Obligation, 'id' | 'rule' | 'timer'>, revision: number, cause: string): Promise<void> {
    try {
      await this.sfn.send(new StopExecutionCommand({ executionArn: this.arnOf(obligation, revision), cause }));
    } catch (error) {
      if (!(error instanceof ExecutionDoesNotExist)) throw error;
    }
  }

  /** The status of a revision's timer (the segment the obligation records), or undefined when it was never started, or is forgotten. */
  async status(obligation: Pick<Obligation, 'id' | 'rule' | 'timer'>, revision: number): Promise<ExecutionStatus | undefined> {
    try {
      const { status } = await this.sfn.send(new DescribeExecutionCommand({ executionArn: this.arnOf(obligation, revision) }));
      return status;
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  }
}
