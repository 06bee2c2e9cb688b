/** Faults a test can inject into one simulated host at runtime. */
export type CommandMatcher = string | RegExp;

interface CommandFaultBase {
  /** Only command lines containing this substring (or matching this RegExp) are affected. */
  match?: CommandMatcher;
  /** Affect only the next N matching commands, then the fault clears itself. */
  times?: number;
}

export type EsxiFault =
  /** Every authentication attempt is rejected. */
  | { kind: 'auth-failure' }
  /** The host presents a new host key (the fingerprint clients pinned no longer matches). */
  | { kind: 'host-key-changed' }
  /** Commands answer only after a delay. */
  | ({ kind: 'slow-commands'; delayMs: number } & CommandFaultBase)
  /** Commands never answer (the channel stays open until the client gives up). */
  | ({ kind: 'hanging-commands' } & CommandFaultBase)
  /**
   * The host does not have the command (an older or stripped ESXi build): vim-cmd answers
   * "Unknown command: '<cmd>'", esxcli "Error: Unknown command or namespace <words>".
   */
  | ({ kind: 'unknown-command' } & CommandFaultBase)
  /** The TCP connection is cut while the command runs, optionally after some stdout. */
  | ({ kind: 'drop-connection'; partialOutput?: string } & CommandFaultBase)
  /**
   * The disk keeps only `afterBytes` (default 0) free: SFTP writes beyond it fail with
   * SSH_FX_FAILURE "Failure" (what OpenSSH's sftp-server sends for ENOSPC) and `stat -f` shows it.
   */
  | { kind: 'no-space-left'; afterBytes?: number }
  /** A VM whose guest shutdown never completes; with ignoresPowerOff, power.off fails too. */
  | { kind: 'vm-never-stops'; vmId: number; ignoresPowerOff?: boolean };

export type EsxiFaultKind = EsxiFault['kind'];

export function faultMatches(fault: CommandFaultBase, line: string): boolean {
  if (fault.match === undefined) return true;
  return typeof fault.match === 'string' ? line.includes(fault.match) : fault.match.test(line);
}
