import { Inject, Injectable, Optional } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { NO_PACKET_SENT, readRestartStepDetail } from '@nutfleet/plan';
import { sendWakeOnLan } from '@nutfleet/wol';

import { type ClaimedStep } from '../claimed-step';
import { HOST_SESSIONS, type HostSessions } from '../host-sessions';
import { type StepHandler } from '../step-handler';
import { type StepOutcome } from '../step-outcome';
import { type WakeTarget, wakeTargetOf } from './wake-target';

/** Packets per MAC and their spacing: UDP may drop one and a NIC in a low-power state can miss the first. */
export const WOL_PACKETS = 3;
export const WOL_INTERVAL_MS = 100;

/** How long the "already up?" SSH check may take before the packets go out anyway. */
export const WAKE_SSH_CHECK_TIMEOUT_MS = 3000;

/**
 * Sends the host's magic packets: each of its MACs, to its broadcast address and port. The
 * worker sends them (it runs with host networking, on the hosts' segment). A host that already
 * answers over SSH (it booted by itself: "power on after AC loss" after the UPS power cycle) is
 * not woken: the step succeeds without a packet and the SSH wait and verification follow as
 * usual. Sending to a host that is up does nothing to it, so a retried wake is harmless.
 */
@Injectable()
export class WakeStepHandler implements StepHandler {
  public readonly actions = ['wake'] as const;
  public readonly mode = 'ARMED';

  public constructor(
    private readonly prisma: PrismaService,
    @Optional() @Inject(HOST_SESSIONS) private readonly sessions?: HostSessions,
  ) {}

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
    if (await this.answersSsh(step.hostId ?? '')) {
      return {
        state: 'SUCCEEDED',
        output: `${detail.hostName}: already answers over SSH (it came back by itself, e.g. power on after AC loss): ${NO_PACKET_SENT}`,
      };
    }
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

  /** True only when a trusted SSH session runs a command: anything else (down, booting, unknown) wakes it. */
  private async answersSsh(hostId: string): Promise<boolean> {
    if (this.sessions === undefined || hostId === '') return false;
    const check = this.sessions
      .withHost(hostId, ({ host }) => host.exec(['true'], { timeoutMs: WAKE_SSH_CHECK_TIMEOUT_MS }))
      .then(
        () => true,
        () => false,
      );
    // A host that is off may take a whole connect timeout to refuse: the wake must not wait for it.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), WAKE_SSH_CHECK_TIMEOUT_MS);
    });
    try {
      return await Promise.race([check, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
