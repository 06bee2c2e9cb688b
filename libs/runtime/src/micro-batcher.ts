export interface MicroBatcherOptions {
  /** Most inputs one flush takes (bounds statement size). */
  readonly maxBatch?: number;
  /** Flushes allowed at once; requests arriving meanwhile wait and go together in the next one. */
  readonly maxInFlight?: number;
}

interface Waiting<In, Out> {
  readonly input: In;
  readonly resolve: (value: Out) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Serves many small requests with few calls, like a database's group commit: a request made
 * when the batcher is idle is flushed at the end of the current event-loop turn (with whatever
 * else arrived in that turn); requests made while `maxInFlight` flushes are running wait and go
 * together in the next flush. At low load each request costs one call, as without batching; under
 * a burst (a 1,000-host stage claiming its steps at once) thousands of requests cost a handful.
 *
 * `flush(inputs)` must return one result per input, in the same order; if it throws, or returns
 * the wrong number of results, every request of that batch is rejected with the error.
 */
export class MicroBatcher<In, Out> {
  private waiting: Array<Waiting<In, Out>> = [];
  private scheduled = false;
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  public constructor(
    private readonly flush: (inputs: readonly In[]) => Promise<readonly Out[]>,
    options: MicroBatcherOptions = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 1000);
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 2);
  }

  public request(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.send();
    });
  }

  private send(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async run(batch: ReadonlyArray<Waiting<In, Out>>): Promise<void> {
    try {
      const results = await this.flush(batch.map((w) => w.input));
      if (results.length !== batch.length)
        throw new Error(`batch flush returned ${results.length} result(s) for ${batch.length} request(s)`);
      batch.forEach((w, i) => w.resolve(results[i] as Out));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
