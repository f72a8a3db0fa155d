import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  type ExecutionStatus,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { Obligation } from '../../shared/model/obligation.ts';
import { ENV, type TimerExecutionInput, executionArn, executionName, stateMachineArn } from '../contract.ts';
import { awsClients, requiredEnv } from './aws.ts';

/** The timers: one Step Functions execution per revision of an obligation. */
export class Executions {
  constructor(
    private readonly sfn: SFNClient,
    private readonly prefix: string,
  ) {}

  static fromEnv(): Executions {
    return new Executions(awsClients().sfn, requiredEnv(ENV.stateMachinePrefix));
  }

  arnOf(obligation: Pick<Obligation, 'id' | 'rule'>, revision: number): string {
    return executionArn(stateMachineArn(this.prefix, obligation.rule), executionName(obligation.id, revision));
  }

  /** Starts the timer of the obligation's current revision; one already running is left as it is. */
  async start(obligation: Pick<Obligation, 'id' | 'rule' | 'revision'>): Promise<void> {
    const input: TimerExecutionInput = { obligationId: obligation.id, revision: obligation.revision };
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: stateMachineArn(this.prefix, obligation.rule),
          name: executionName(obligation.id, obligation.revision),
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      // Same name, same input: a retry of a start that went through.
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  /** Stops the timer of a revision; one that already ended or never started is no error. */
  async stop(obligation: Pick<Obligation, 'id' | 'rule'>, revision: number, cause: string): Promise<void> {
    try {
      await this.sfn.send(new StopExecutionCommand({ executionArn: this.arnOf(obligation, revision), cause }));
    } catch (error) {
      if (!(error instanceof ExecutionDoesNotExist)) throw error;
    }
  }

  /** The status of a revision's timer, or undefined when it was never started. */
  async status(obligation: Pick<Obligation, 'id' | 'rule'>, revision: number): Promise<ExecutionStatus | undefined> {
    try {
      const { status } = await this.sfn.send(new DescribeExecutionCommand({ executionArn: this.arnOf(obligation, revision) }));
      return status;
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  }
}
