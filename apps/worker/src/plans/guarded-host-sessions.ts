import { type CommandTarget } from '@nutfleet/esxi';

import { type HostAccessRow } from '../hosts/host-connector';
import { directRun } from './direct-run.context';
import { type HostSessions, type PlanHostSession } from './host-sessions';
import { PlanCancelledBeforeSendError } from './step-executor';

/**
 * The host sessions plan steps use. Inside a direct run (a step claimed from PostgreSQL while
 * Redis is down), every command that changes something on the host first checks the plan is
 * still not cancelled; otherwise the sessions are the connector's, untouched.
 */
export class GuardedHostSessions implements HostSessions {
  public constructor(private readonly inner: HostSessions) {}

  public withHost<T>(host: string | HostAccessRow, work: (session: PlanHostSession) => Promise<T>): Promise<T> {
    return this.inner.withHost(host, (session) => {
      const run = directRun.getStore();
      if (run === undefined) return work(session);
      const guarded: CommandTarget = {
        label: session.host.label,
        exec: async (argv, options) => {
          if (changesState(argv) && (await run.planCancelled())) throw new PlanCancelledBeforeSendError(run.planId);
          return session.host.exec(argv, options);
        },
      };
      return work({ ...session, host: guarded });
    });
  }
}

/** `poweroff` and the VM power verbs; reads (power states, `true`, versions) pass unchecked. */
function changesState(argv: readonly string[]): boolean {
  if (argv[0] === 'poweroff') return true;
  return argv[0] === 'vim-cmd' && /^vmsvc\/power\.(shutdown|suspend|off|on|reset|reboot)$/.test(argv[1] ?? '');
}
