import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { NutTestbed } from '@nutfleet/testing';
import {
  NutAccessDeniedError,
  NutConnectionClosedError,
  NutNotConnectedError,
  NutSession,
  type NutSessionConnectFailedInfo,
  type NutSessionDisconnectedInfo,
  parseUpsSnapshot,
} from '../src';

describe('NutSession against a real upsd', () => {
  it('emits disconnected when upsd dies, reconnects, logs in again and polls again', async (t) => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    t.after(() => process.removeListener('unhandledRejection', onUnhandled));

    const bed = await NutTestbed.start({ upses: 1 }, t);
    const session = new NutSession({
      ...bed.connectOptions({ timeoutMs: 1000 }),
      credentials: bed.monitor,
      login: { ups: 'ups1' },
      reconnect: { initialDelayMs: 100, maxDelayMs: 500 },
    });
    t.after(() => session.stop());
    const events: string[] = [];
    session.on('connected', () => events.push('connected'));
    session.on('disconnected', () => events.push('disconnected'));
    session.on('connectFailed', () => events.push('connectFailed'));

    session.start();
    await session.waitUntilConnected(5000);
    assert.equal(parseUpsSnapshot(await session.listVars('ups1')).status?.onLine, true);
    assert.equal(await session.use((client) => client.getNumLogins('ups1')), 1);

    // A poll that is in flight (or made) while upsd dies fails with a typed error, never hangs.
    const disconnected = once(session, 'disconnected') as Promise<[NutSessionDisconnectedInfo]>;
    await bed.killUpsd();
    const [info] = await disconnected;
    assert.ok(info.reason instanceof NutConnectionClosedError);
    await assert.rejects(session.listVars('ups1'), NutNotConnectedError);

    // While upsd is down, attempts fail (connection refused) and are retried with backoff.
    const failed = once(session, 'connectFailed') as Promise<[NutSessionConnectFailedInfo]>;
    const [failure] = await failed;
    assert.ok(failure.retryInMs <= 500 * 1.25);

    await bed.startUpsd();
    await session.waitUntilConnected(8000);
    const vars = await session.listVars('ups1');
    assert.equal(vars['ups.status'], 'OL');
    // The login was repeated on the new connection.
    assert.equal(await session.use((client) => client.getNumLogins('ups1')), 1);

    assert.equal(events[0], 'connected');
    assert.equal(events[1], 'disconnected');
    assert.equal(events.at(-1), 'connected');
    assert.ok(events.slice(2, -1).every((event) => event === 'connectFailed'));
    await session.stop();
    assert.equal(session.state, 'stopped');
    assert.deepEqual(unhandled, []);
  });

  it('reports a wrong password as connectFailed with ACCESS-DENIED and keeps retrying', async (t) => {
    const bed = await NutTestbed.start({ upses: 1 }, t);
    const session = new NutSession({
      ...bed.connectOptions(),
      credentials: { username: bed.monitor.username, password: 'wrong' },
      login: { ups: 'ups1' },
      reconnect: { initialDelayMs: 50, maxDelayMs: 100 },
    });
    t.after(() => session.stop());
    const failures: NutSessionConnectFailedInfo[] = [];
    session.on('connectFailed', (info) => failures.push(info));
    session.start();
    while (failures.length < 2) await once(session, 'connectFailed');
    assert.ok(failures.every((info) => info.error instanceof NutAccessDeniedError));
    assert.deepEqual(
      failures.map((info) => info.attempt),
      [1, 2],
    );
    assert.equal(session.connected, false);
  });

  it("keeps an idle connection alive past upsd's idle drop with cheap requests", async (t) => {
    // upsd's 60 s idle drop is too slow for a unit run: check the keep-alive timer fires instead.
    const bed = await NutTestbed.start({ upses: 1 }, t);
    const session = new NutSession({ ...bed.connectOptions(), keepAliveIdleMs: 200 });
    t.after(() => session.stop());
    session.start();
    await session.waitUntilConnected(5000);
    const first = await session.use(async (client) => client.lastRequestTime);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const later = await session.use(async (client) => client.lastRequestTime);
    assert.ok(later > first, 'a keep-alive request was sent while idle');
    assert.equal(session.connected, true);
  });
});
