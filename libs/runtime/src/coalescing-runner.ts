/**
 * Runs `work(key)` at most once at a time per key; a request made while it runs schedules
 * exactly one more run after it (however many requests arrive), so the last request is always
 * served by a run that started after it. Failures go to `onError`; request() never rejects.
 */
export class CoalescingRunner {
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();

  public constructor(
    private readonly work: (key: string) => Promise<unknown>,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  public request(key: string): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      this.dirty.add(key);
      return current;
    }
    const run = (async () => {
      do {
        this.dirty.delete(key);
        try {
          await this.work(key);
        } catch (error) {
          this.onError(key, error);
        }
      } while (this.dirty.has(key));
      this.running.delete(key);
    })();
    this.running.set(key, run);
    return run;
  }
}
