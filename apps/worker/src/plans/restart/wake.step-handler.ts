import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { readRestartStepDetail } from '@nutfleet/plan';
import { sendWakeOnLan } from '@nutfleet/wol';

import { type ClaimedStep } from '../claimed-step';
import { type StepHandler } from '../step-handler';
import { type StepOutcome } from '../step-outcome';
import { type WakeTarget, wakeTargetOf } from './wake-target';

/** Packets per MAC and their spacing: UDP may drop one and a NIC in a low-power state can miss the first. */
export const WOL_PACKETS = 3;
export const WOL_INTERVAL_MS = 100;

/**
 * Sends the host's magic packets: each of its MACs, to its broadcast address and port. The
 * worker sends them (it runs with host networking, on the hosts' segment). Sending to a host
 * that is already up does nothing to it, so a retried or repeated wake is harmless.
 */
@Injectable()
export class WakeStepHandler implements StepHandler {
  public readonly actions = ['wake'] as const;
  public readonly mode = 'ARMED';

  public constructor(private readonly prisma: PrismaService) {}

  public async target(hostId: string): Promise<WakeTarget> {
    const row = await this.prisma.host.findUniqueOrThrow({
      where: { id: hostId },
      select: { id: true, name: true, macAddresses: true, wolBroadcast: true, wolPort: true },
    });
    return wakeTargetOf(row);
  }

  public async run(step: ClaimedStep): Promise<StepOutcome> {
    const detail = readRestartStepDetail(step.detail);
    const target = await this.target(step.hostId ?? '');
    const sent: string[] = [];
    for (const mac of target.macs) {
      const result = await sendWakeOnLan({
        mac,
        broadcastAddress: target.broadcastAddress,
        port: target.port,
        count: WOL_PACKETS,
        intervalMs: WOL_INTERVAL_MS,
      });
      sent.push(`${result.sent} × ${result.mac}`);
    }
    return {
      state: 'SUCCEEDED',
      output: `${detail.hostName}: magic packets sent (${sent.join(', ')}) to ${target.broadcastAddress}:${target.port}`,
    };
  }
}
