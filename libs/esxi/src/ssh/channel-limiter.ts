/** A channel whose close the host never confirms gives its slot back after this long, not never. */
export const UNCONFIRMED_CLOSE_GRACE_MS = 5_000;

/**
 * Caps how many channels run at once on one connection; extra callers wait in FIFO order.
 * A slot is given back through the release function, which may be called more than once.
 */
export class ChannelLimiter {
  private inUse = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`channel cap must be a positive integer, got ${capacity}`);
  }

  /** Slots in use plus callers waiting: zero means the connection is idle. */
  get pending(): number {
    return this.inUse + this.waiting.length;
  }

  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = (): void => {
        this.inUse += 1;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.inUse -= 1;
          this.waiting.shift()?.();
        });
      };
      if (this.inUse < this.capacity) grant();
      else this.waiting.push(grant);
    });
  }
}
