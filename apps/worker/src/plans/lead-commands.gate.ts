import { Injectable } from '@nestjs/common';

/**
 * How long the other work of the plans queue waits for the lead commands at most: a lead stuck
 * on a host that does not answer (an SSH connect timeout) must not hold every other host's
 * second VM back for that long.
 */
export const LEAD_WAIT_MAX_MS = 2000;

/**
 * Within one worker, the hosts' first commands go out before anything else its plan steps ask of
 * the hosts. In an outage a worker starts thousands of steps at once, and its CPU is the limit:
 * each command costs SSH packets, and the hosts' second and third VMs, and the power-state polls
 * of the VMs already told to stop, would otherwise share it with the hosts still waiting for
 * their first command (at 1,000 hosts with 3 VMs: 3,000 commands where 1,000 matter first).
 *
 * A lead step (its host's first shutdown step of an advance, marked in its job: leadsItsHost) holds the gate from the
 * moment its job starts until its first command is out, or it ends; the other steps, and the
 * polls, wait for no lead to be pending, at most LEAD_WAIT_MAX_MS. Leads never wait for the
 * gate, so it cannot deadlock; it only orders work.
 */
@Injectable()
export class LeadCommandsGate {
  private pending = 0;
  private readonly waiters = new Set<() => void>();

  /** Counts one lead as pending; the function it returns ends that (the second call does nothing). */
  public hold(): () => void {
    this.pending += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.pending -= 1;
      if (this.pending === 0) for (const wake of [...this.waiters]) wake();
    };
  }

  /** How many leads have not sent their first command yet. */
  public get pendingLeads(): number {
    return this.pending;
  }

  /** Resolves once no lead is pending, or after `maxWaitMs`. */
  public async clear(maxWaitMs: number = LEAD_WAIT_MAX_MS): Promise<void> {
    if (this.pending === 0) return;
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, maxWaitMs);
      this.waiters.add(wake);
    });
  }
}
