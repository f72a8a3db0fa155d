import { randomUUID } from 'node:crypto';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Clock } from '../clock.ts';
import type { HandlerRegistry } from '../handlers.ts';
import { type Partition, executionArn, parseExecutionArn, parseStateMachineArn, stateMachineArn } from './arn.ts';
import { type CompiledDefinition, compileDefinition, parkedShape, resumeAfter, resumeRetry } from './definition.ts';
import { type EventDraft, type HistoryEvent, historyOf, serviceEvents } from './history.ts';
import { type SegmentRun, runSegment } from './interpreter.ts';
import { DEFAULT_RETENTION_DAYS, MAX_EXECUTION_MS, retentionMs } from './limits.ts';
import { checkName } from './names.ts';
import { type Request, SfnError } from './protocol.ts';
import { Slots } from './slots.ts';
import type { ExecutionRecord, ParkedWait, SfnStore, StateMachineRecord, Transition } from './store.ts';
import { wakeInstant } from './waits.ts';

/** Where a run starts: the definition's StartAt, just after a parked wait, or at a parked retry. */
type Cursor =
  | { readonly kind: 'start' }
  | { readonly kind: 'after-wait'; readonly wait: string; readonly input: string }
  | { readonly kind: 'retry'; readonly state: string; readonly input: string; readonly enteredAt: number; readonly counts: readonly number[] };

/**
 * A run that comes this close to its execution's deadline is watched by a timer on the clock, so
 * that a long task on a real clock cannot carry it past its end. (On a virtual clock no time
 * passes within a run: waits and retries are parked, and a parking past the deadline times out.)
 */
const DEADLINE_WATCH_MS = 24 * 60 * 60 * 1000;

interface LoadedMachine {
  readonly record: StateMachineRecord;
  readonly original: StateMachineDefinition;
  readonly compiled: CompiledDefinition;
}

export interface ExecutionsOptions {
  readonly store: SfnStore;
  readonly clock: Clock;
  readonly handlers: HandlerRegistry;
  readonly partition: Partition;
  /** How many runs of the interpreter go on at once; the others wait their turn. */
  readonly concurrentRuns?: number;
  /** How long a closed execution stays readable, in days: 90 unless given, as on AWS. */
  readonly retentionDays?: number;
}

/** Enough to keep DynamoDB Local and the in-process functions busy on a small machine. */
export const DEFAULT_CONCURRENT_RUNS = 64;

/**
 * What the Step Functions API does, behind the wire protocol: state machines, executions and
 * their runs. An execution advances in runs of the interpreter; each run ends the execution or
 * parks it at a top-level Wait, and the clock's wake-up starts the next run.
 */
export class Executions {
  readonly #store: SfnStore;
  readonly #clock: Clock;
  readonly #handlers: HandlerRegistry;
  readonly #partition: Partition;
  readonly #machines = new Map<string, LoadedMachine>();
  readonly #wakeUps = new Map<string, () => void>();
  readonly #runs = new Map<string, SegmentRun>();
  /** Runs waiting for a slot; a stop marks its execution's so that it never starts. */
  readonly #queued = new Map<string, { stopped: boolean }>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #slots: Slots;
  readonly #retentionMs: number;
  #closed = false;

  constructor(options: ExecutionsOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#handlers = options.handlers;
    this.#partition = options.partition;
    this.#slots = new Slots(options.concurrentRuns ?? DEFAULT_CONCURRENT_RUNS);
    this.#retentionMs = retentionMs(options.retentionDays ?? DEFAULT_RETENTION_DAYS);
  }

  /**
   * Picks up where a previous service left off: parked waits are rescheduled, cut runs rerun,
   * and closed executions past their retention are deleted (reads hide them in any case).
   */
  async recover(): Promise<void> {
    for (const expired of await this.#store.listClosedBefore(this.#clock.now() - this.#retentionMs)) {
      await this.#store.deleteExecution(expired);
    }
    for (const execution of await this.#store.listParked()) {
      if (execution.parked !== undefined) this.#scheduleWakeUp(execution, execution.parked);
    }
    // A run cut short by a stop of the service left no trace, and a running execution that is
    // not parked has not got past its first run: start it again. Its tasks then run at least
    // once, which is what Lambda promises too. (A run cut short after a wake-up left its
    // parking in place, so it is rescheduled above.)
    for (const execution of await this.#store.listInterrupted()) {
      this.#background(this.#run(execution, { kind: 'start' }));
    }
  }

  /**
   * Stops scheduling and abandons the runs under way without writing them: what they did is
   * done again when a service starts on the same data (a cut first run from the start, a cut
   * wake-up from its parking), so a stop never waits on a slow task and never loses a step.
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const cancel of this.#wakeUps.values()) cancel();
    this.#wakeUps.clear();
    for (const run of this.#runs.values()) run.abort();
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async createStateMachine(request: Request<'CreateStateMachine'>): Promise<{ stateMachineArn: string; creationDate: number }> {
    checkName('state machine', request.name);
    if (request.type === 'EXPRESS') {
      throw new SfnError('ValidationException', 'the local Step Functions service runs STANDARD state machines only');
    }
    compileDefinition(request.definition);
    const record: StateMachineRecord = {
      name: request.name,
      arn: stateMachineArn(this.#partition, request.name),
      definition: request.definition,
      roleArn: request.roleArn,
      type: 'STANDARD',
      creationDate: this.#clock.now(),
    };
    const saved = await this.#store.putStateMachine(record);
    if (saved !== record && (saved.definition !== record.definition || saved.roleArn !== record.roleArn)) {
      throw new SfnError('StateMachineAlreadyExists', `State Machine Already Exists: '${saved.arn}'`);
    }
    return { stateMachineArn: saved.arn, creationDate: saved.creationDate };
  }

  async describeStateMachine(arn: string): Promise<StateMachineRecord> {
    return (await this.#machine(parseStateMachineArn(this.#partition, arn))).record;
  }

  listStateMachines(): Promise<StateMachineRecord[]> {
    return this.#store.listStateMachines();
  }

  async start(request: Request<'StartExecution'>): Promise<{ executionArn: string; startDate: number }> {
    if (request.name !== undefined) checkName('execution', request.name);
    const machine = await this.#machine(parseStateMachineArn(this.#partition, request.stateMachineArn));
    const input = request.input ?? '{}';
    try {
      JSON.parse(input);
    } catch {
      throw new SfnError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not JSON');
    }
    const name = request.name ?? randomUUID();
    const startDate = this.#clock.now();
    const timeout = machine.compiled.timeoutSeconds;
    const record: ExecutionRecord = {
      executionArn: executionArn(this.#partition, machine.record.name, name),
      stateMachineArn: machine.record.arn,
      stateMachineName: machine.record.name,
      name,
      status: 'RUNNING',
      input,
      startDate,
      // A Standard execution ends after a year at the latest, whatever its TimeoutSeconds.
      deadline: startDate + Math.min(MAX_EXECUTION_MS, timeout === undefined ? Infinity : timeout * 1000),
      eventCount: 0,
      chunks: 0,
    };
    let { created, record: saved } = await this.#store.createExecution(record);
    // A name is free again once the execution that had it is past its retention.
    if (!created && this.#expired(saved) && (await this.#store.replaceExecution(saved, record))) {
      created = true;
      saved = record;
    }
    if (!created) {
      // Starting the same execution twice is safe while it runs; anything else reuses a name.
      if (saved.status === 'RUNNING' && saved.input === input) {
        return { executionArn: saved.executionArn, startDate: saved.startDate };
      }
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${saved.executionArn}'`);
    }
    this.#background(this.#run(saved, { kind: 'start' }));
    return { executionArn: saved.executionArn, startDate };
  }

  async stop(request: Request<'StopExecution'>): Promise<{ stopDate: number }> {
    for (;;) {
      const execution = await this.#execution(request.executionArn);
      if (execution.status !== 'RUNNING') return { stopDate: execution.stopDate ?? this.#clock.now() };
      const stopDate = this.#clock.now();
      const details = { ...(request.error === undefined ? {} : { error: request.error }), ...(request.cause === undefined ? {} : { cause: request.cause }) };
      const events = serviceEvents([{ timestamp: stopDate, type: 'ExecutionAborted', executionAbortedEventDetails: details }], execution.eventCount);
      const stopped = await this.#store.commit(execution, events, { kind: 'close', status: 'ABORTED', stopDate, ...details });
      if (stopped) {
        this.#wakeUps.get(execution.executionArn)?.();
        this.#wakeUps.delete(execution.executionArn);
        this.#runs.get(execution.executionArn)?.abort();
        const queued = this.#queued.get(execution.executionArn);
        if (queued !== undefined) queued.stopped = true;
        return { stopDate };
      }
      // A run committed meanwhile: read again and stop what is there now.
    }
  }

  async describe(arn: string): Promise<ExecutionRecord> {
    return this.#execution(arn);
  }

  async list(request: Request<'ListExecutions'>): Promise<ExecutionRecord[]> {
    const machine = await this.#machine(parseStateMachineArn(this.#partition, request.stateMachineArn));
    const executions = await this.#store.listExecutions(machine.record.name);
    const expired = executions.filter((execution) => this.#expired(execution));
    for (const execution of expired) await this.#store.deleteExecution(execution);
    return executions
      .filter((execution) => !this.#expired(execution))
      .filter((execution) => request.statusFilter === undefined || execution.status === request.statusFilter)
      .sort((a, b) => b.startDate - a.startDate || (a.name < b.name ? -1 : 1));
  }

  async history(arn: string): Promise<HistoryEvent[]> {
    const execution = await this.#execution(arn);
    return this.#store.history(execution.executionArn);
  }

  async #machine(name: string): Promise<LoadedMachine> {
    const cached = this.#machines.get(name);
    if (cached !== undefined) return cached;
    const record = await this.#store.getStateMachine(name);
    if (record === undefined) {
      throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn(this.#partition, name)}'`);
    }
    const loaded: LoadedMachine = {
      record,
      original: JSON.parse(record.definition) as StateMachineDefinition,
      compiled: compileDefinition(record.definition),
    };
    this.#machines.set(name, loaded);
    return loaded;
  }

  async #execution(arn: string): Promise<ExecutionRecord> {
    const { machine, name } = parseExecutionArn(this.#partition, arn);
    const execution = await this.#store.getExecution(machine, name);
    if (execution !== undefined && this.#expired(execution)) await this.#store.deleteExecution(execution);
    if (execution === undefined || this.#expired(execution)) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  /** Closed and past its retention: AWS no longer knows it. */
  #expired(execution: ExecutionRecord): boolean {
    return execution.status !== 'RUNNING' && execution.stopDate !== undefined && this.#clock.now() - execution.stopDate >= this.#retentionMs;
  }

  /** When the execution times out; data from before every execution had a deadline gets a year. */
  #deadline(execution: ExecutionRecord): number {
    return execution.deadline ?? execution.startDate + MAX_EXECUTION_MS;
  }

  /** The ExecutionTimedOut event and the closing that go with it, at `at`. */
  #timeout(execution: ExecutionRecord, machine: LoadedMachine | undefined, at: number): { draft: EventDraft; next: Transition } {
    const ownTimeout = machine?.compiled.timeoutSeconds;
    const cause =
      ownTimeout !== undefined && ownTimeout * 1000 <= MAX_EXECUTION_MS
        ? `The execution timed out: it ran longer than its TimeoutSeconds (${ownTimeout} s).`
        : 'The execution timed out: a Standard workflow execution runs for at most one year.';
    const details = { error: 'States.Timeout', cause };
    return {
      draft: { timestamp: at, type: 'ExecutionTimedOut', executionTimedOutEventDetails: details },
      next: { kind: 'close', status: 'TIMED_OUT', stopDate: at, ...details },
    };
  }

  #background(work: Promise<unknown>): void {
    this.#inFlight.add(work);
    const forget = (): void => {
      this.#inFlight.delete(work);
    };
    work.then(forget, forget);
    this.#clock.track(work);
  }

  #scheduleWakeUp(execution: ExecutionRecord, parked: ParkedWait): void {
    if (this.#closed) return;
    const cancel = this.#clock.schedule(parked.wakeAt, () => {
      this.#wakeUps.delete(execution.executionArn);
      return this.#wake({ ...execution, parked });
    });
    this.#wakeUps.set(execution.executionArn, cancel);
  }

  /**
   * `execution` is the record as its parking left it. The run's commit is conditional on that
   * version, so after a stop (or a second wake-up) this one's work is discarded, never written.
   */
  async #wake(execution: ExecutionRecord & { readonly parked: ParkedWait }): Promise<void> {
    const parked = execution.parked;
    if (parked.reason === 'timeout') {
      const machine = await this.#machine(execution.stateMachineName).catch(() => undefined);
      const { draft, next } = this.#timeout(execution, machine, this.#clock.now());
      await this.#store.commit(execution, serviceEvents([draft], execution.eventCount), next);
      return;
    }
    if (parked.reason === 'retry') {
      const retry = parked.retry ?? { enteredAt: execution.startDate, counts: [] };
      await this.#run(execution, { kind: 'retry', state: parked.wait, input: parked.input, enteredAt: retry.enteredAt, counts: retry.counts });
      return;
    }
    await this.#run(execution, { kind: 'after-wait', wait: parked.wait, input: parked.input });
  }

  /** One run of the interpreter, from `cursor` until the execution ends or parks again. */
  #run(execution: ExecutionRecord, cursor: Cursor): Promise<void> {
    const ticket = { stopped: false };
    this.#queued.set(execution.executionArn, ticket);
    return this.#slots.run(async () => {
      if (this.#queued.get(execution.executionArn) === ticket) this.#queued.delete(execution.executionArn);
      // Stopped while it waited: its tasks must not run (the commit would be refused anyway).
      if (!ticket.stopped) await this.#runNow(execution, cursor);
    });
  }

  async #runNow(execution: ExecutionRecord, cursor: Cursor): Promise<void> {
    if (this.#closed) return;
    const machine = await this.#machine(execution.stateMachineName);
    const definition =
      cursor.kind === 'start'
        ? machine.compiled.runnable
        : cursor.kind === 'after-wait'
          ? resumeAfter(machine.compiled, machine.original, cursor.wait, JSON.parse(cursor.input))
          : resumeRetry(machine.compiled, cursor.state, JSON.parse(cursor.input), cursor.counts);
    const segment = runSegment({
      definition,
      input: JSON.parse(execution.input),
      context: {
        Execution: { Id: execution.executionArn, Name: execution.name, RoleArn: machine.record.roleArn },
        StateMachine: { Id: machine.record.arn, Name: machine.record.name },
      },
      startDate: execution.startDate,
      tasks: machine.compiled.tasks,
      retries: machine.compiled.retries,
      ...(cursor.kind === 'retry' ? { resumed: { state: cursor.state, enteredAt: cursor.enteredAt, counts: cursor.counts } } : {}),
      handlers: this.#handlers,
      now: () => this.#clock.now(),
      instantNestedRetries: this.#clock.instantRetries === true,
    });
    this.#runs.set(execution.executionArn, segment);
    const deadline = this.#deadline(execution);
    let deadlinePassed = false;
    const unwatch =
      deadline - this.#clock.now() <= DEADLINE_WATCH_MS
        ? this.#clock.schedule(deadline + 1, async () => {
            deadlinePassed = true;
            segment.abort();
          })
        : undefined;
    const { outcome, events: log, invocations } = await segment.result.finally(() => {
      unwatch?.();
      this.#runs.delete(execution.executionArn);
    });
    // A stop aborted this run and wrote the history's end itself.
    if (outcome.kind === 'aborted' && !deadlinePassed) return;

    const waits = new Set(machine.compiled.waits.keys());
    const events = historyOf(log, invocations, {
      firstId: execution.eventCount,
      roleArn: machine.record.roleArn,
      region: this.#partition.region,
      waits,
      tasks: machine.compiled.tasks,
      resumedWait: cursor.kind === 'after-wait' ? cursor.wait : undefined,
      resumedRetry: cursor.kind === 'retry' ? cursor.state : undefined,
      parkedRetries: new Set(machine.compiled.retries.keys()),
    });
    const at = this.#clock.now();
    const lastEntered = [...log].reverse().find((entry) => entry.event.type === 'StateEntered')?.event;
    const parkedIn =
      outcome.kind === 'succeeded' && lastEntered?.type === 'StateEntered' && lastEntered.index === undefined
        ? machine.compiled.waits.get(lastEntered.state.name)
        : undefined;

    let next: Transition;
    let closing: EventDraft[] = [];
    if (outcome.kind === 'aborted' || at > deadline) {
      // The deadline passed while the run went on (a long task on a real clock): what it did is
      // written, and then the execution times out, as AWS would have stopped it there.
      const timedOut = this.#timeout(execution, machine, at);
      closing = [timedOut.draft];
      next = timedOut.next;
    } else if (outcome.kind === 'failed') {
      next = { kind: 'close', status: 'FAILED', stopDate: at, error: outcome.error, cause: outcome.cause };
    } else if (outcome.kind === 'retry') {
      const { parking } = outcome;
      next = this.#park(execution, deadline, parking.state, JSON.stringify(parking.input ?? null), parking.wakeAt, 'retry', {
        enteredAt: parking.enteredAt,
        counts: parking.counts,
      });
    } else if (parkedIn === undefined) {
      next = { kind: 'close', status: 'SUCCEEDED', stopDate: at, output: JSON.stringify(outcome.output ?? null) };
    } else {
      const marker = parkedShape.parse(outcome.output);
      const wake = wakeInstant(parkedIn, at, marker.at);
      if (!wake.ok) {
        const cause = `An error occurred while executing the state '${parkedIn.name}'. ${wake.cause}`;
        closing = [{ timestamp: at, type: 'ExecutionFailed', executionFailedEventDetails: { error: 'States.Runtime', cause } }];
        next = { kind: 'close', status: 'FAILED', stopDate: at, error: 'States.Runtime', cause };
      } else {
        next = this.#park(execution, deadline, parkedIn.name, JSON.stringify(marker.input ?? null), wake.at, 'wait');
      }
    }
    const written = [...events, ...serviceEvents(closing, execution.eventCount + events.length)];
    const committed = await this.#store.commit(execution, written, next);
    if (committed && next.kind === 'park') {
      const parkedRecord = { ...execution, eventCount: execution.eventCount + written.length, chunks: execution.chunks + 1 };
      this.#scheduleWakeUp(parkedRecord, next.parked);
    }
  }

  /** Parks the execution until `wakeAt`, or until its deadline to time it out if that comes first. */
  #park(
    execution: ExecutionRecord,
    deadline: number,
    state: string,
    input: string,
    wakeAt: number,
    reason: 'wait' | 'retry',
    retry?: ParkedWait['retry'],
  ): Transition {
    const timesOut = wakeAt > deadline;
    const at = timesOut ? deadline : wakeAt;
    return {
      kind: 'park',
      parked: {
        wait: state,
        input,
        wakeAt: at,
        reason: timesOut ? 'timeout' : reason,
        ...(retry === undefined ? {} : { retry }),
        key: `${new Date(at).toISOString()}#${execution.executionArn}#${execution.chunks + 1}`,
      },
    };
  }
}
