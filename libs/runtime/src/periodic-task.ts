export interface PeriodicTaskOptions {
  /** One pass. A rejection goes to onError; the task carries on with the next pass. */
  run: () => Promise<unknown>;
  /** Delay between the end of one pass and the start of the next. */
  intervalMs: number;
  onError: (error: unknown) => void;
}

/**
 * A background loop (reconciler, warm-up, dispatcher): one pass at a time, the next one
 * `intervalMs` after the previous ended, never overlapping. `stop()` cancels what is scheduled
 * and waits for the pass in flight, so a caller can stop it before closing the connections the
 * pass uses (Nest: in beforeApplicationShutdown).
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private pass: Promise<void> = Promise.resolve();
  private stopping = false;

  public constructor(private readonly options: PeriodicTaskOptions) {}

  /** True once stop() was called: a long pass can check it between units of work. */
  public get stopped(): boolean {
    return this.stopping;
  }

  public start(initialDelayMs = 0): void {
    this.schedule(initialDelayMs);
  }

  public async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.pass = this.options
        .run()
        .then(
          () => undefined,
          (error: unknown) => this.options.onError(error),
        )
        .finally(() => this.schedule(this.options.intervalMs));
    }, delayMs);
    // A pending pass must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }
}
