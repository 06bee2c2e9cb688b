/**
 * Fakes for the step handlers' fast tests: one ESXi host that answers the commands plan steps
 * send (in the exact formats the libs/esxi parsers read), the HostSessions that reach it, and the
 * step store's statements in memory. No SSH, no database: the handlers' own logic, quickly.
 */
import { type CommandResult, type CommandTarget, ConnectionError, type ExecOptions, shellQuote } from '@nutfleet/esxi';
import { type Prisma } from '@nutfleet/db';

import { type HostAccessRow } from '../../hosts/host-connector';
import { type ClaimedStep } from '../claimed-step';
import { type HostSessions, type PlanHostSession } from '../host-sessions';

export type FakeVmPower = 'on' | 'off' | 'suspended';

export interface FakeVm {
  power: FakeVmPower;
  tools: boolean;
  /** How the guest answers a Tools shutdown: stops after this many ms, or never. */
  guestStopsAfterMs?: number;
}

/** How the host takes `poweroff`: goes down (stops answering), or keeps answering (lost on the way). */
export type PoweroffBehaviour = 'goes-down' | 'ignored';

export class FakeEsxiHost implements CommandTarget {
  public readonly label = 'fake-esxi:22';
  public readonly commands: string[][] = [];
  public up = true;
  public poweroff: PoweroffBehaviour = 'goes-down';
  public readonly vms = new Map<number, FakeVm>();
  /** `vim-cmd vmsvc/getallvms` prints this instead of the list (output no parser reads). */
  public vmListGarbage: string | undefined;

  public count(...prefix: string[]): number {
    return this.commands.filter((argv) => prefix.every((word, i) => argv[i] === word)).length;
  }

  public async exec(argv: readonly string[], options?: ExecOptions): Promise<CommandResult> {
    if (!this.up) throw this.unreachable();
    // As EsxiHost: the host answered, the caller's write-ahead mark is made, then the line leaves.
    await options?.beforeSend?.();
    this.commands.push([...argv]);
    const command = shellQuote(argv);
    const ok = (stdout = ''): CommandResult => ({ command, code: 0, stdout, stderr: '' });
    if (argv[0] === 'true') return ok();
    if (argv[0] === 'poweroff') {
      if (this.poweroff === 'goes-down') setTimeout(() => (this.up = false), 5);
      return ok();
    }
    if (argv[0] === 'vim-cmd') return ok(this.vimCmd(argv[1] ?? '', Number(argv[2])));
    return { command, code: 127, stdout: '', stderr: `sh: ${argv[0] ?? ''}: not found\n` };
  }

  private vmList(): string {
    return getAllVmsOutput([...this.vms.keys()]);
  }

  public unreachable(): ConnectionError {
    return new ConnectionError('connect ECONNREFUSED', { host: this.label });
  }

  private vimCmd(verb: string, vmId: number): string {
    if (verb === 'vmsvc/getallvms') return this.vmListGarbage ?? this.vmList();
    const vm = this.vms.get(vmId);
    if (vm === undefined) return fault('vim.fault.NotFound', `Unable to find a VM corresponding to "${vmId}"`);
    switch (verb) {
      case 'vmsvc/power.getstate':
        return `Retrieved runtime info\n${vm.power === 'on' ? 'Powered on' : vm.power === 'off' ? 'Powered off' : 'Suspended'}\n`;
      case 'vmsvc/power.shutdown':
        if (vm.power !== 'on') return invalidPowerState(vm);
        if (!vm.tools)
          return fault(
            'vim.fault.ToolsUnavailable',
            'Cannot complete operation because VMware Tools is not running in this virtual machine.',
          );
        if (vm.guestStopsAfterMs !== undefined) setTimeout(() => (vm.power = 'off'), vm.guestStopsAfterMs);
        return '';
      case 'vmsvc/power.suspend':
        if (vm.power !== 'on') return invalidPowerState(vm);
        vm.power = 'suspended';
        return '';
      case 'vmsvc/power.off':
        if (vm.power === 'off') return invalidPowerState(vm);
        vm.power = 'off';
        return 'Powering off VM:\n';
      default:
        return fault('vmodl.fault.InvalidArgument', `unknown verb ${verb}`);
    }
  }
}

/** `vim-cmd vmsvc/getallvms` of the fake's VMs, named `vm-<id>`. */
function getAllVmsOutput(ids: readonly number[]): string {
  const rows = ids.map(
    (id) => `${String(id).padEnd(6)}vm-${id}   [datastore1] vm-${id}/vm-${id}.vmx   debian12_64Guest   vmx-19`,
  );
  return ['Vmid   Name   File   Guest OS   Version   Annotation', ...rows].join('\n') + '\n';
}

function fault(type: string, msg: string): string {
  return `(${type}) {\n   faultCause = (vmodl.MethodFault) null,\n   faultMessage = <unset>,\n   msg = "${msg}"\n}\n`;
}

function invalidPowerState(vm: FakeVm): string {
  const label = vm.power === 'on' ? 'Powered on' : vm.power === 'off' ? 'Powered off' : 'Suspended';
  return fault(
    'vim.fault.InvalidPowerState',
    `The attempted operation cannot be performed in the current state (${label}).`,
  );
}

/** HostSessions on one fake host: a session opens only while the host is up. */
export class FakeHostSessions implements HostSessions {
  public sessionsOpened = 0;

  public constructor(private readonly host: FakeEsxiHost) {}

  public async withHost<T>(_host: string | HostAccessRow, work: (session: PlanHostSession) => Promise<T>): Promise<T> {
    if (!this.host.up) throw this.host.unreachable();
    this.sessionsOpened += 1;
    return work({ hostId: 'h1', name: 'esxi-01', host: this.host });
  }
}

/** The step store's statements a handler uses, in memory, with the same conditions as the SQL. */
export class FakeStepStore {
  public commandSentAt: Date | null = null;
  public progress: Prisma.InputJsonValue | null = null;
  public readonly progressWrites: Prisma.InputJsonValue[] = [];

  public async claimPowerOffCommand(_stepId: string, now: Date): Promise<Date | undefined> {
    if (this.commandSentAt !== null) return undefined;
    this.commandSentAt = now;
    return now;
  }

  public async reclaimPowerOffCommand(_stepId: string, previous: Date, now: Date): Promise<Date | undefined> {
    if (this.commandSentAt?.getTime() !== previous.getTime()) return undefined;
    this.commandSentAt = now;
    return now;
  }

  public async releasePowerOffCommand(_stepId: string, claimedAt: Date): Promise<void> {
    if (this.commandSentAt?.getTime() === claimedAt.getTime()) this.commandSentAt = null;
  }

  public readonly warnings: Array<{ planId: string; code: string; hostName: string; message: string }> = [];

  public async recordPlanWarning(
    planId: string,
    warning: { code: string; hostId: string | null; hostName: string; message: string },
  ): Promise<void> {
    this.warnings.push({ planId, code: warning.code, hostName: warning.hostName, message: warning.message });
  }

  public async saveProgress(_stepId: string, progress: Prisma.InputJsonValue): Promise<void> {
    this.progress = progress;
    this.progressWrites.push(progress);
  }
}

/** A claimed step of a plan, with its detail (a shutdown or restart contract) and its progress. */
export function claimedStep(fields: {
  action: string;
  detail: object;
  progress?: object | null;
  commandSentAt?: Date | null;
  deadlineAt?: Date | null;
  mode?: 'ARMED' | 'DRY_RUN';
}): ClaimedStep {
  const now = new Date();
  return {
    id: 'step-1',
    planId: 'plan-1',
    key: `host:h1:${fields.action}`,
    hostId: 'h1',
    action: fields.action,
    stage: 0,
    sequence: 0,
    state: 'RUNNING',
    attempts: 1,
    jobId: null,
    deadlineAt: fields.deadlineAt ?? null,
    startedAt: now,
    finishedAt: null,
    output: null,
    error: null,
    dependsOn: [],
    detail: fields.detail as Prisma.JsonValue,
    progress: (fields.progress ?? null) as Prisma.JsonValue,
    commandSentAt: fields.commandSentAt ?? null,
    createdAt: now,
    updatedAt: now,
    plan: { id: 'plan-1', kind: 'SHUTDOWN', mode: fields.mode ?? 'ARMED' },
    host: null,
  };
}
