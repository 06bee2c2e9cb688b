import { Inject, Injectable } from '@nestjs/common';

import { esxcli, vim } from '@nutfleet/esxi';
import { readRestartStepDetail, type RestartStepDetail } from '@nutfleet/plan';
import { errorText } from '@nutfleet/runtime';

import { HostNotFoundError } from '../../hosts/host-connector.errors';
import { type ClaimedStep } from '../claimed-step';
import { HOST_SESSIONS, type HostSessions } from '../host-sessions';
import { type StepHandler } from '../step-handler';
import { type StepOutcome } from '../step-outcome';
import { tcpAnswers } from './host-wait';
import { WakeStepHandler, WOL_PACKETS } from './wake.step-handler';

/**
 * Dry-run of a restart step: validates the MACs and broadcast address, probes SSH, reads hosts
 * that answer (version, VM power states), and reports what it would do. It never sends a magic
 * packet or a power command.
 */
@Injectable()
export class RestartDryRunStepHandler implements StepHandler {
  public readonly actions = ['wake', 'wait-ssh', 'verify-esxi', 'power-on-vms'] as const;
  public readonly mode = 'DRY_RUN';

  public constructor(
    @Inject(HOST_SESSIONS) private readonly sessions: HostSessions,
    private readonly wake: WakeStepHandler,
  ) {}

  public async run(step: ClaimedStep): Promise<StepOutcome> {
    const detail = readRestartStepDetail(step.detail);
    const hostId = step.hostId ?? '';
    if (detail.kind === 'wake') {
      const target = await this.wake.target(hostId);
      return {
        state: 'SUCCEEDED',
        output: `dry-run: would send ${WOL_PACKETS} magic packets per MAC (${target.macs.join(', ')}) to ${target.broadcastAddress}:${target.port}`,
      };
    }
    const row = step.host;
    if (row === null) throw new HostNotFoundError(hostId);
    const up = await tcpAnswers(row.address, row.sshPort, 1000);
    if (!up) {
      return {
        state: 'SUCCEEDED',
        output: `dry-run: ${detail.hostName} does not answer SSH now; would ${this.would(detail)}`,
      };
    }
    try {
      return await this.sessions.withHost(row, async ({ host }) => {
        if (detail.kind === 'power-on-vms') {
          const states = await Promise.all(
            (detail.vmIds ?? []).map(async (id) => `${id} ${await vim.powerGetState(host, Number(id))}`),
          );
          return {
            state: 'SUCCEEDED' as const,
            output: `dry-run: ${detail.hostName} VMs now: ${states.join(', ')}; would ${this.would(detail)}`,
          };
        }
        const version = await esxcli.systemVersionGet(host);
        return {
          state: 'SUCCEEDED' as const,
          output: `dry-run: ${detail.hostName} answers SSH (ESXi ${version.version}); would ${this.would(detail)}`,
        };
      });
    } catch (error) {
      return {
        state: 'SUCCEEDED',
        output: `dry-run: ${detail.hostName} answers TCP but not SSH (${errorText(error)}); would ${this.would(detail)}`,
      };
    }
  }

  private would(detail: RestartStepDetail): string {
    switch (detail.kind) {
      case 'wait-ssh':
        return `wait up to ${detail.timeoutSeconds} s after the magic packets for SSH with the pinned key`;
      case 'verify-esxi':
        return `check esxcli system version and hostd (vim-cmd vmsvc/getallvms) for up to ${detail.timeoutSeconds} s`;
      case 'power-on-vms':
        return `power on VM(s) ${(detail.vmIds ?? []).join(', ')} in this order unless already on`;
      default:
        return 'wake it';
    }
  }
}
