import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { describe, test } from 'node:test';

import { type PrismaService } from '@nutfleet/db';
import { type RestartStepDetail } from '@nutfleet/plan';

import { type ClaimedStep } from '../claimed-step';
import { type HostSessions } from '../host-sessions';
import { type StepOutcome } from '../step-outcome';

import { hostAutostarts } from './power-on-vms.step-handler';
import { WakeStepHandler, WOL_PACKETS } from './wake.step-handler';
import { DEFAULT_WOL_BROADCAST, wakeTargetOf, WakeTargetError } from './wake-target';

const row = (over: Partial<{ macAddresses: string[]; wolBroadcast: string | null; wolPort: number }> = {}) => ({
  id: 'h1',
  name: 'esxi-01',
  macAddresses: ['02-00-5E-10-00-01', '0200.5e10.0002'],
  wolBroadcast: '127.0.0.1',
  wolPort: 9,
  ...over,
});

describe('wake target', () => {
  test('MACs in any accepted notation become canonical; the host broadcast, else the limited broadcast', () => {
    const target = wakeTargetOf(row());
    assert.deepEqual(target.macs, ['02:00:5e:10:00:01', '02:00:5e:10:00:02']);
    assert.equal(target.broadcastAddress, '127.0.0.1');
    assert.equal(wakeTargetOf(row({ wolBroadcast: null })).broadcastAddress, DEFAULT_WOL_BROADCAST);
  });

  test('no MAC, or a bad one, is an error naming the host and the fix', () => {
    assert.throws(
      () => wakeTargetOf(row({ macAddresses: [] })),
      (e: unknown) => e instanceof WakeTargetError && /esxi-01 has no MAC/.test(e.message),
    );
    assert.throws(
      () => wakeTargetOf(row({ macAddresses: ['ff:ff:ff:ff:ff:ff'] })),
      /esxi-01 has an unusable MAC address/,
    );
  });
});

describe('wake step: the magic packets on the wire', () => {
  test('each MAC gets its packets, byte for byte: 6 × 0xFF then the MAC 16 times', async () => {
    const socket = createSocket('udp4');
    const received: Buffer[] = [];
    socket.on('message', (msg) => received.push(msg));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const port = socket.address().port;
    const prisma = {
      host: { findUniqueOrThrow: async () => row({ wolPort: port }) },
    } as unknown as PrismaService;
    const handler = new WakeStepHandler(prisma);
    const detail: RestartStepDetail = {
      kind: 'wake',
      hostName: 'esxi-01',
      wave: 0,
      timeoutSeconds: 10,
      hostTimeoutSeconds: 600,
    };
    const step = { hostId: 'h1', plan: { mode: 'ARMED' }, detail } as unknown as ClaimedStep;
    try {
      const outcome = await handler.run(step);
      assert.equal(outcome.state, 'SUCCEEDED');
      assert.match(outcome.output, /3 × 02:00:5e:10:00:01, 3 × 02:00:5e:10:00:02\) to 127\.0\.0\.1:/);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      socket.close();
    }
    assert.equal(received.length, 2 * WOL_PACKETS);
    for (const [i, mac] of [
      [0, [0x02, 0x00, 0x5e, 0x10, 0x00, 0x01]],
      [WOL_PACKETS, [0x02, 0x00, 0x5e, 0x10, 0x00, 0x02]],
    ] as const) {
      const expected = Buffer.from([...Array<number>(6).fill(0xff), ...Array.from({ length: 16 }, () => mac).flat()]);
      assert.equal(expected.length, 102);
      for (let k = 0; k < WOL_PACKETS; k++)
        assert.ok(received[i + k]?.equals(expected), `packet ${i + k} is the magic packet of ${mac.join(':')}`);
    }
  });
});

describe('wake step: a host that already answers over SSH', () => {
  const detail: RestartStepDetail = {
    kind: 'wake',
    hostName: 'esxi-01',
    wave: 0,
    timeoutSeconds: 10,
    hostTimeoutSeconds: 600,
  };
  const step = { hostId: 'h1', plan: { mode: 'ARMED' }, detail } as unknown as ClaimedStep;

  async function wakeWith(sessions: HostSessions): Promise<{ outcome: StepOutcome; packets: number }> {
    const socket = createSocket('udp4');
    let packets = 0;
    socket.on('message', () => (packets += 1));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const prisma = {
      host: { findUniqueOrThrow: async () => row({ wolPort: socket.address().port }) },
    } as unknown as PrismaService;
    try {
      const outcome = await new WakeStepHandler(prisma, sessions).run(step);
      await new Promise((r) => setTimeout(r, 200));
      return { outcome, packets };
    } finally {
      socket.close();
    }
  }

  test('booted by itself (power on after AC loss): no magic packet, the step succeeds saying why', async () => {
    const up: HostSessions = {
      withHost: async (_host, work) =>
        work({
          hostId: 'h1',
          name: 'esxi-01',
          host: { label: 'esxi-01', exec: async () => ({ stdout: '', stderr: '', code: 0 }) } as never,
        }),
    };
    const { outcome, packets } = await wakeWith(up);
    assert.equal(outcome.state, 'SUCCEEDED');
    assert.match(outcome.output, /already answers over SSH.*no magic packet sent/);
    assert.equal(packets, 0);
  });

  test('not answering: the packets go out as usual', async () => {
    const down: HostSessions = {
      withHost: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    };
    const { outcome, packets } = await wakeWith(down);
    assert.equal(outcome.state, 'SUCCEEDED');
    assert.equal(packets, 2 * WOL_PACKETS);
  });
});

describe('hostAutostarts', () => {
  const defaults = {
    enabled: true,
    startDelay: 120,
    stopDelay: 120,
    waitForHeartbeat: false,
    stopAction: 'powerOff' as const,
  };
  const entry = (vmId: number, startOrder: number, startAction: 'powerOn' | 'none' = 'powerOn') => ({
    vmId,
    startOrder,
    startDelay: -1,
    startAction,
    stopDelay: -1,
    stopAction: 'systemDefault' as const,
    waitForHeartbeat: 'systemDefault' as const,
  });
  test('only with autostart enabled and the VM in the sequence with powerOn', () => {
    assert.equal(hostAutostarts(defaults, [entry(1, 1)], 1), true);
    assert.equal(hostAutostarts(defaults, [entry(1, 1)], 2), false);
    assert.equal(hostAutostarts(defaults, [entry(1, 1, 'none')], 1), false);
    assert.equal(hostAutostarts({ ...defaults, enabled: false }, [entry(1, 1)], 1), false);
  });
});
