import { SfnError } from './protocol.ts';

/** Where this service pretends to live; ARNs it issues and accepts carry these. */
export interface Partition {
  readonly region: string;
  readonly account: string;
}

export function stateMachineArn(at: Partition, name: string): string {
  return `arn:aws:states:${at.region}:${at.account}:stateMachine:${name}`;
}

export function executionArn(at: Partition, machine: string, name: string): string {
  return `arn:aws:states:${at.region}:${at.account}:execution:${machine}:${name}`;
}

export function parseStateMachineArn(at: Partition, arn: string): string {
  const parts = arn.split(':');
  if (parts.length !== 7 || parts[0] !== 'arn' || parts[2] !== 'states' || parts[5] !== 'stateMachine') {
    throw new SfnError('InvalidArn', `Invalid Arn: '${arn}'`);
  }
  if (parts[3] !== at.region || parts[4] !== at.account) {
    throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  }
  return parts[6] ?? '';
}

export function parseExecutionArn(at: Partition, arn: string): { machine: string; name: string } {
  const parts = arn.split(':');
  if (parts.length !== 8 || parts[0] !== 'arn' || parts[2] !== 'states' || parts[5] !== 'execution') {
    throw new SfnError('InvalidArn', `Invalid Arn: '${arn}'`);
  }
  if (parts[3] !== at.region || parts[4] !== at.account) {
    throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  }
  return { machine: parts[6] ?? '', name: parts[7] ?? '' };
}
