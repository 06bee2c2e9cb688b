import { type CommandTarget } from '@nutfleet/esxi';

import { type HostAccessRow } from '../hosts/host-connector';

/** A trusted, pooled SSH session to one host (HostConnector provides it: pinned key, sealed credentials). */
export interface PlanHostSession {
  readonly hostId: string;
  readonly name: string;
  /** Every esxcli/vim-cmd wrapper takes a CommandTarget; tests give a scripted one. */
  readonly host: CommandTarget;
}

/**
 * How plan steps reach hosts. Kept to the one method plans need, so the step handlers do not
 * depend on how credentials are opened or keys are pinned (HostConnector does both).
 */
export interface HostSessions {
  /** `host`: an id, or the access row the caller read moments ago (a step's claim). */
  withHost<T>(host: string | HostAccessRow, work: (session: PlanHostSession) => Promise<T>): Promise<T>;
}

export const HOST_SESSIONS = Symbol('HOST_SESSIONS');
