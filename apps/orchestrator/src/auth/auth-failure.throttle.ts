export interface ThrottleSettings {
  /** Failures allowed per key inside the window; the next failure gets 429. */
  maxFailures: number;
  windowMs: number;
}

/**
 * Counts authentication failures per key (a client address, a presented token prefix) in a
 * sliding window. It only ever slows down failing attempts: a valid token is checked before it
 * and always passes, so nobody can lock the owner out by failing from the same address. Kept in
 * memory: each orchestrator replica throttles on its own (an attacker spread over N replicas gets
 * N times the budget, still far too little to guess a 256-bit token), and auth keeps working
 * when Redis is down.
 */
export class AuthFailureThrottle {
  private readonly failures = new Map<string, number[]>();

  public constructor(private readonly settings: ThrottleSettings) {}

  /** Seconds until the key's failures drop below the limit, or 0 when it is below it now. */
  public retryAfterSeconds(client: string, now: number): number {
    const recent = this.recent(client, now);
    if (recent.length < this.settings.maxFailures) return 0;
    const oldest = recent[recent.length - this.settings.maxFailures] ?? now;
    return Math.max(1, Math.ceil((oldest + this.settings.windowMs - now) / 1000));
  }

  /** The longest wait of any of `keys`, or 0. */
  public longestWait(keys: readonly string[], now: number): number {
    return Math.max(0, ...keys.map((key) => this.retryAfterSeconds(key, now)));
  }

  public recordFailure(client: string, now: number): void {
    const recent = this.recent(client, now);
    recent.push(now);
    // Only the last maxFailures timestamps matter for the decision.
    if (recent.length > this.settings.maxFailures) recent.splice(0, recent.length - this.settings.maxFailures);
    this.failures.set(client, recent);
    if (this.failures.size > 10_000) this.prune(now);
  }

  private recent(client: string, now: number): number[] {
    const times = this.failures.get(client);
    if (!times) return [];
    const fresh = times.filter((t) => now - t < this.settings.windowMs);
    if (fresh.length === 0) this.failures.delete(client);
    else if (fresh.length !== times.length) this.failures.set(client, fresh);
    return fresh;
  }

  private prune(now: number): void {
    for (const client of [...this.failures.keys()]) this.recent(client, now);
  }
}
