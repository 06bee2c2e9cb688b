import { Injectable } from '@nestjs/common';

/**
 * The longest the other work of the plans queue waits for the lead commands, however well they
 * go: at 5,000 hosts on two workers the leads take seconds, and the second VMs must start.
 */
export const LEAD_WAIT_MAX_MS = 10_000;

/**
 * The others stop waiting once no lead has sent its command for this long: the leads left are
 * stuck on hosts that do not answer (an SSH connect timeout) and must not hold every other
 * host's second VM back.
 */
export const LEAD_STALL_MS = 1000;

/**
 * Within one worker, the hosts' first commands go out before anything else its plan steps ask of
 * the hosts. In an outage a worker starts thousands of steps at once, and its CPU is the limit:
 * each command costs SSH packets, and the hosts' second and third VMs, the power-state polls of
 * the VMs already told to stop and the plan's advances would otherwise share it with the hosts
 * still waiting for their first command (at 1,000 hosts with 3 VMs: 3,000 commands where 1,000
 * matter first).
 *
 * A lead step (its host's first shutdown step of an advance, marked in its job: leadsItsHost)
 * holds the gate from the moment its job starts until its first command is out, or it ends; the
 * others wait for no lead to be pending, as long as leads keep going out (LEAD_STALL_MS) and at
 * most their bound (LEAD_WAIT_MAX_MS). Leads never wait for the gate, so it cannot deadlock; it
 * only orders work.
 */
@Injectable()
export class LeadCommandsGate {
  private pending = 0;
  /** When a lead last went out or was held: the leads' progress. */
  private progressAt = 0;
  /** Each waiter and the instant it stops waiting whatever the leads do. */
  private readonly waiters = new Map<() => void, number>();
  /** One timer for all waiters, at the earliest instant one of them may have to go. */
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  /** Counts one lead as pending; the function it returns ends that (the second call does nothing). */
  public hold(): () => void {
    // A new lead is progress too: leads stuck since before must not release the others at once.
    this.progressAt = Date.now();
    this.pending += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.pending -= 1;
      this.progressAt = Date.now();
      if (this.pending === 0) this.wake(() => true);
    };
  }

  /** How many leads have not sent their first command yet. */
  public get pendingLeads(): number {
    return this.pending;
  }

  /**
   * Resolves once no lead is pending, once none has gone out for LEAD_STALL_MS, or after
   * `maxWaitMs`, whichever comes first.
   */
  public async clear(maxWaitMs: number = LEAD_WAIT_MAX_MS): Promise<void> {
    if (this.pending === 0 || maxWaitMs <= 0) return;
    await new Promise<void>((resolve) => {
      const deadline = Date.now() + maxWaitMs;
      this.waiters.set(resolve, deadline);
      this.arm(Math.min(deadline, this.progressAt + LEAD_STALL_MS));
    });
  }

  private wake(goes: (deadline: number) => boolean): void {
    for (const [resolve, deadline] of [...this.waiters])
      if (goes(deadline)) {
        this.waiters.delete(resolve);
        resolve();
      }
    if (this.waiters.size === 0) this.disarm();
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  /** Sets the timer for `at` unless it is set for earlier already. */
  private arm(at: number): void {
    if (at >= this.timerAt) return;
    this.disarm();
    this.timerAt = at;
    this.timer = setTimeout(() => this.check(), Math.max(0, at - Date.now()));
  }

  private check(): void {
    this.disarm();
    const now = Date.now();
    const stallAt = this.progressAt + LEAD_STALL_MS;
    this.wake((deadline) => now >= stallAt || now >= deadline);
    if (this.waiters.size === 0) return;
    let next = this.progressAt + LEAD_STALL_MS;
    for (const deadline of this.waiters.values()) next = Math.min(next, deadline);
    this.arm(next);
  }
}
