import { type DrillRefusal } from '@nutfleet/plan';

/** A drill that may not start, with every reason (the API answers 409 or 400 from the codes). */
export class DrillRefusedError extends Error {
  public constructor(public readonly refusals: readonly DrillRefusal[]) {
    super(refusals.map((r) => r.message).join('; '));
    this.name = 'DrillRefusedError';
  }

  /** Refusals about the moment (an outage, another drill) rather than the request itself. */
  public get conflicting(): boolean {
    return this.refusals.some((r) => r.code === 'OUTAGE_OPEN' || r.code === 'DRILL_RUNNING');
  }
}

export class DrillGroupNotFoundError extends Error {
  public constructor(public readonly group: string) {
    super(`no group "${group}"`);
    this.name = 'DrillGroupNotFoundError';
  }
}
