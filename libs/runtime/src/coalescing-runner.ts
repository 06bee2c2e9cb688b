export interface CoalescingRunnerOptions {
  /**
   * Least time between the starts of two runs of one key. A burst of requests (a 1,000-host stage
   * finishing steps every millisecond) then costs one run per interval instead of back-to-back
   * runs taking the CPU from the work they schedule. The first request is never delayed.
   */
  readonly minIntervalMs?: number;
  /**
   * After a run, the next run of the key waits at least this multiple of the run's duration. A
   * run that grows with what it reads (a 5,000-host plan's 20,000 steps) then keeps at most
   * 1 / (1 + ratio) of the time however long it takes, where `minIntervalMs` alone lets runs
   * longer than it follow each other back to back. Default 0.
   */
  readonly minRestRatio?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work(key)` at most once at a time per key; a request made while it runs schedules
 * exactly one more run after it (however many requests arrive), so the last request is always
 * served by a run that started after it. Failures go to `onError`; request() never rejects.
 */
export class CoalescingRunner {
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  /** When each key's last run started (kept while it can still delay a run). */
  private readonly lastStart = new Map<string, number>();
  /** Until when each key rests after its last run (kept while it can still delay a run). */
  private readonly restUntil = new Map<string, number>();

  public constructor(
    private readonly work: (key: string) => Promise<unknown>,
    private readonly onError: (key: string, error: unknown) => void,
    private readonly options: CoalescingRunnerOptions = {},
  ) {}

  public request(key: string): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      this.dirty.add(key);
      return current;
    }
    const run = (async () => {
      const spacing = this.options.minIntervalMs ?? 0;
      const restRatio = this.options.minRestRatio ?? 0;
      do {
        const notBefore = Math.max(
          (this.lastStart.get(key) ?? Number.NEGATIVE_INFINITY) + spacing,
          this.restUntil.get(key) ?? Number.NEGATIVE_INFINITY,
        );
        const wait = notBefore - Date.now();
        if (wait > 0) await sleep(wait);
        const startedAt = Date.now();
        this.lastStart.set(key, startedAt);
        if (spacing > 0)
          setTimeout(() => {
            if (this.lastStart.get(key) === startedAt) this.lastStart.delete(key);
          }, spacing).unref();
        this.dirty.delete(key);
        try {
          await this.work(key);
        } catch (error) {
          this.onError(key, error);
        }
        if (restRatio > 0) this.rest(key, restRatio * (Date.now() - startedAt));
      } while (this.dirty.has(key));
      this.running.delete(key);
    })();
    this.running.set(key, run);
    return run;
  }

  private rest(key: string, ms: number): void {
    if (ms <= 0) return;
    const until = Date.now() + ms;
    this.restUntil.set(key, until);
    setTimeout(() => {
      if (this.restUntil.get(key) === until) this.restUntil.delete(key);
    }, ms).unref();
  }
}
