import { Injectable } from '@nestjs/common';

/**
 * Raised when steps were marked queued but BullMQ did not take their jobs (Redis down): the
 * reconciler then runs them straight from PostgreSQL at once instead of at its next pass.
 */
@Injectable()
export class QueueFallbackSignal {
  private readonly listeners: Array<(planId: string) => void> = [];

  public raise(planId: string): void {
    for (const listener of this.listeners) listener(planId);
  }

  public onRaise(listener: (planId: string) => void): void {
    this.listeners.push(listener);
  }
}
