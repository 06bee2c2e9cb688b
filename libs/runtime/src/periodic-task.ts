/**
 * What a pass may resolve to: the epoch ms at which the next pass is due, when that is sooner
 * than the interval (a deadline it knows of). An object, not a bare number: a pass that resolved
 * to a count it computed (0 hosts queued) once read as "due at epoch 0" and spun the loop.
 */
export interface NextPassDue {
  readonly nextPassAt: number;
}

/** The due time of a pass that knows one (undefined: keep the interval). */
export function nextPassAt(at: number | undefined): NextPassDue | undefined {
  return at === undefined ? undefined : { nextPassAt: at };
}

export interface PeriodicTaskOptions {
  /**
   * One pass. It may resolve to when the next pass is due (NextPassDue); anything else keeps the
   * interval. A rejection goes to onError; the task carries on with the next pass.
   */
  run: () => Promise<NextPassDue | undefined | void>;
  /** Delay between the end of one pass and the start of the next. */
  intervalMs: number;
  /** Least delay before a pass brought forward by a due time (bounds a busy loop). Default 0. */
  minDelayMs?: number;
  /**
   * The interval after a pass is at least this multiple of the pass's duration: a pass that grows
   * with the fleet (a whole-fleet snapshot of 5,000 hosts) then keeps at most 1 / (1 + ratio) of
   * the time. Passes brought forward by a due time or by wake() are not delayed. Default 0.
   */
  minRestRatio?: number;
  onError: (error: unknown) => void;
}

/**
 * A background loop (reconciler, warm-up, dispatcher, planner): one pass at a time, the next one
 * `intervalMs` after the previous ended (sooner if the pass says so), never overlapping. `wake()`
 * asks for a pass now — or right after the one in flight. `stop()` cancels what is scheduled and
 * waits for the pass in flight, so a caller can stop it before closing the connections the pass
 * uses (Nest: in beforeApplicationShutdown).
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private pass: Promise<void> = Promise.resolve();
  private stopping = false;
  private running = false;
  private wakeRequested = false;

  public constructor(private readonly options: PeriodicTaskOptions) {}

  /** True once stop() was called: a long pass can check it between units of work. */
  public get stopped(): boolean {
    return this.stopping;
  }

  public start(initialDelayMs = 0): void {
    this.schedule(initialDelayMs);
  }

  /** A pass now, or right after the pass in flight (however many wakes arrive meanwhile). */
  public wake(): void {
    if (this.stopping) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  public async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.running = true;
      const startedAt = Date.now();
      let next = this.options.intervalMs;
      this.pass = this.options
        .run()
        .then(
          (dueAt) => {
            next = Math.max(next, (this.options.minRestRatio ?? 0) * (Date.now() - startedAt));
            if (dueAt !== undefined && typeof dueAt.nextPassAt === 'number')
              next = Math.max(this.options.minDelayMs ?? 0, Math.min(next, dueAt.nextPassAt - Date.now()));
          },
          (error: unknown) => this.options.onError(error),
        )
        .finally(() => {
          this.running = false;
          const again = this.wakeRequested;
          this.wakeRequested = false;
          this.schedule(again ? 0 : next);
        });
    }, delayMs);
    // A pending pass must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }
}
