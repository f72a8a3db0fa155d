/**
 * At most `size` holders at once; the others queue in order. The local service runs executions
 * in one process beside DynamoDB Local: ten thousand runs at once only queue their requests
 * behind the HTTP agents and fill the heap, they do not finish sooner.
 */
export class Slots {
  readonly #size: number;
  #held = 0;
  readonly #queue: (() => void)[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`slots must be a positive integer, not ${String(size)}`);
    this.#size = size;
  }

  /** Runs `work` in a slot once one is free. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#held >= this.#size) await new Promise<void>((resolve) => this.#queue.push(resolve));
    else this.#held += 1;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is given back.
      const next = this.#queue.shift();
      if (next === undefined) this.#held -= 1;
      else next();
    }
  }
}
