import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sendWakeOnLan } from '../src/wake-on-lan.sender';
import { WakeOnLanOptionError, MacAddressError } from '../src/wol.errors';

// Only loopback destinations here: a test must never wake anything on a real network.
describe('sendWakeOnLan over loopback UDP', () => {
  const received: Buffer[] = [];
  const listener = createSocket('udp4');
  let port = 0;

  before(async () => {
    listener.on('message', (message) => received.push(message));
    await new Promise<void>((resolve) => listener.bind(0, '127.0.0.1', resolve));
    port = (listener.address() as AddressInfo).port;
  });
  after(() => listener.close());

  const waitFor = async (n: number): Promise<void> => {
    for (let i = 0; i < 100 && received.length < n; i += 1) await new Promise((r) => setTimeout(r, 10));
  };

  it('delivers `count` identical packets, byte for byte, to 127.0.0.1', async () => {
    received.length = 0;
    const result = await sendWakeOnLan({
      mac: '00-25-90-1e-42-50',
      broadcastAddress: '127.0.0.1',
      port,
      count: 3,
      intervalMs: 20,
    });
    await waitFor(3);
    const expected = Buffer.from('ff'.repeat(6) + '0025901e4250'.repeat(16), 'hex');
    assert.equal(received.length, 3);
    for (const packet of received) assert.deepEqual(packet, expected);
    assert.equal(result.sent, 3);
    assert.equal(result.mac, '00:25:90:1e:42:50');
    assert.equal(result.family, 'IPv4');
    assert.equal(result.port, port);
    assert.deepEqual(result.packet, expected);
    assert.equal(result.sentAt.length, 3);
    assert.ok((result.sentAt[2] ?? 0) - (result.sentAt[0] ?? 0) >= 30, 'packets are spaced by intervalMs');
  });

  it('carries a SecureOn password', async () => {
    received.length = 0;
    await sendWakeOnLan({
      mac: 'a0b1.c2d3.e4f6',
      broadcastAddress: '127.0.0.1',
      port,
      count: 1,
      secureOn: 'de:ad:be:ef',
    });
    await waitFor(1);
    assert.equal(received.length, 1);
    assert.deepEqual(received[0], Buffer.from('ff'.repeat(6) + 'a0b1c2d3e4f6'.repeat(16) + 'deadbeef', 'hex'));
  });

  it('refuses bad options before opening a socket', async () => {
    await assert.rejects(
      sendWakeOnLan({ mac: '00:25:90:1e:42:50', broadcastAddress: 'not-an-ip', port }),
      (e: unknown) => e instanceof WakeOnLanOptionError && e.field === 'broadcastAddress',
    );
    await assert.rejects(
      sendWakeOnLan({ mac: '00:25:90:1e:42:50', broadcastAddress: '127.0.0.1', port: 70000 }),
      (e: unknown) => e instanceof WakeOnLanOptionError && e.field === 'port',
    );
    await assert.rejects(
      sendWakeOnLan({ mac: '00:25:90:1e:42:50', broadcastAddress: '127.0.0.1', port, count: 0 }),
      (e: unknown) => e instanceof WakeOnLanOptionError && e.field === 'count',
    );
    await assert.rejects(
      sendWakeOnLan({ mac: '00:25:90:1e:42:50', broadcastAddress: '127.0.0.1', port, intervalMs: -1 }),
      (e: unknown) => e instanceof WakeOnLanOptionError && e.field === 'intervalMs',
    );
    await assert.rejects(
      sendWakeOnLan({ mac: 'ff:ff:ff:ff:ff:ff', broadcastAddress: '127.0.0.1', port }),
      MacAddressError,
    );
  });
});

describe('sendWakeOnLan over IPv6 loopback', () => {
  it('sends to ::1 with a udp6 socket', async (t) => {
    const listener = createSocket('udp6');
    try {
      await new Promise<void>((resolve, reject) => {
        listener.once('error', reject);
        listener.bind(0, '::1', resolve);
      });
    } catch {
      listener.close();
      t.skip('no IPv6 loopback here');
      return;
    }
    const received: Buffer[] = [];
    listener.on('message', (m) => received.push(m));
    const port = (listener.address() as AddressInfo).port;
    const result = await sendWakeOnLan({
      mac: '00:25:90:1e:42:50',
      broadcastAddress: '::1',
      port,
      count: 2,
      intervalMs: 0,
    });
    for (let i = 0; i < 100 && received.length < 2; i += 1) await new Promise((r) => setTimeout(r, 10));
    listener.close();
    assert.equal(result.family, 'IPv6');
    assert.equal(received.length, 2);
    for (const packet of received) assert.deepEqual(packet, result.packet);
  });
});
