/**
 * The commands a UPS power-cycle needs (INSTCMD with and without a value, SET VAR, LIST CMD,
 * LIST RW, TRACKING), against a scripted server: what goes on the wire and how each reply,
 * including every refusal the operator must be told about, comes back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  NutAccessDeniedError,
  NutClient,
  NutCmdNotSupportedError,
  NutInstcmdFailedError,
  NutInvalidValueError,
  NutReadonlyError,
  NutServerError,
} from '../src';
import { startFakeNutServer } from './fake-nut-server';

/** Runs `run` against a server that answers each request from `replies` (by exact line) and records them. */
async function withScript<T>(
  replies: Readonly<Record<string, string | readonly string[]>>,
  run: (client: NutClient, received: string[]) => Promise<T>,
): Promise<T> {
  const received: string[] = [];
  const server = await startFakeNutServer((request, socket) => {
    received.push(request);
    const reply = replies[request] ?? 'ERR UNKNOWN-COMMAND';
    socket.write(`${(typeof reply === 'string' ? [reply] : reply).join('\n')}\n`);
  });
  const client = await NutClient.connect({ host: '127.0.0.1', port: server.port, timeoutMs: 1000 });
  try {
    return await run(client, received);
  } finally {
    client.destroy();
    await server.close();
  }
}

describe('INSTCMD', () => {
  it('sends the command quoted, without a value unless one is given', async () => {
    await withScript(
      {
        'INSTCMD "ups1" "shutdown.return"': 'OK',
        'INSTCMD "ups1" "load.off.delay" "30"': 'OK TRACKING 1bd31d0e-77c4-4d6e-a3a5-3c5e42f0a0b1',
      },
      async (client, received) => {
        assert.deepEqual(await client.instCmd('ups1', 'shutdown.return'), { trackingId: null });
        assert.deepEqual(await client.instCmd('ups1', 'load.off.delay', '30'), {
          trackingId: '1bd31d0e-77c4-4d6e-a3a5-3c5e42f0a0b1',
        });
        assert.deepEqual(received, ['INSTCMD "ups1" "shutdown.return"', 'INSTCMD "ups1" "load.off.delay" "30"']);
      },
    );
  });

  it('each refusal is its own error class, naming the server and the command', async () => {
    await withScript(
      {
        'INSTCMD "ups1" "shutdown.return"': 'ERR CMD-NOT-SUPPORTED',
        'INSTCMD "ups1" "shutdown.stayoff"': 'ERR ACCESS-DENIED',
        'INSTCMD "ups1" "load.off"': 'ERR INSTCMD-FAILED',
      },
      async (client) => {
        const notSupported = await client.instCmd('ups1', 'shutdown.return').then(
          () => assert.fail('accepted'),
          (error: unknown) => error,
        );
        assert.ok(notSupported instanceof NutCmdNotSupportedError);
        assert.equal(notSupported.code, 'CMD-NOT-SUPPORTED');
        assert.match(
          notSupported.message,
          /127\.0\.0\.1:\d+ INSTCMD "ups1" "shutdown.return": server replied ERR CMD-NOT-SUPPORTED/,
        );
        await assert.rejects(client.instCmd('ups1', 'shutdown.stayoff'), NutAccessDeniedError);
        await assert.rejects(client.instCmd('ups1', 'load.off'), NutInstcmdFailedError);
      },
    );
  });
});

describe('SET VAR', () => {
  it('sends the value quoted and maps READONLY / INVALID-VALUE / ACCESS-DENIED', async () => {
    await withScript(
      {
        'SET VAR "ups1" "ups.delay.shutdown" "20"': 'OK',
        'SET VAR "ups1" "ups.delay.start" "30"': 'ERR READONLY',
        'SET VAR "ups1" "battery.charge.restart" "500"': 'ERR INVALID-VALUE',
        'SET VAR "ups2" "ups.delay.shutdown" "20"': 'ERR ACCESS-DENIED',
      },
      async (client) => {
        assert.deepEqual(await client.setVar('ups1', 'ups.delay.shutdown', '20'), { trackingId: null });
        await assert.rejects(client.setVar('ups1', 'ups.delay.start', '30'), NutReadonlyError);
        await assert.rejects(client.setVar('ups1', 'battery.charge.restart', '500'), NutInvalidValueError);
        await assert.rejects(client.setVar('ups2', 'ups.delay.shutdown', '20'), NutAccessDeniedError);
      },
    );
  });
});

describe('LIST CMD and LIST RW', () => {
  it('returns the commands and the writable variables with their values', async () => {
    await withScript(
      {
        'LIST CMD "ups1"': [
          'BEGIN LIST CMD ups1',
          'CMD ups1 load.off',
          'CMD ups1 shutdown.return',
          'END LIST CMD ups1',
        ],
        'LIST RW "ups1"': [
          'BEGIN LIST RW ups1',
          'RW ups1 ups.delay.shutdown "20"',
          'RW ups1 battery.charge.restart "0"',
          'END LIST RW ups1',
        ],
        'LIST CMD "gone"': 'ERR UNKNOWN-UPS',
      },
      async (client) => {
        assert.deepEqual(await client.listCommands('ups1'), ['load.off', 'shutdown.return']);
        assert.deepEqual(
          { ...(await client.listRw('ups1')) },
          {
            'ups.delay.shutdown': '20',
            'battery.charge.restart': '0',
          },
        );
        await assert.rejects(client.listCommands('gone'), (error: unknown) => {
          assert.ok(error instanceof NutServerError);
          assert.equal(error.code, 'UNKNOWN-UPS');
          return true;
        });
      },
    );
  });
});

describe('TRACKING', () => {
  it('enableTracking turns it on where the server has it and reads it back', async () => {
    await withScript(
      { 'SET TRACKING ON': 'OK', 'GET TRACKING': 'ON', 'GET TRACKING "abc"': 'ERR UNKNOWN' },
      async (client) => {
        assert.equal(await client.enableTracking(), true);
        assert.equal(await client.getTrackingMode(), true);
        assert.equal(await client.getTracking('abc'), 'UNKNOWN');
      },
    );
  });

  it('a server older than 2.8 (INVALID-ARGUMENT) just has no tracking', async () => {
    await withScript({ 'SET TRACKING ON': 'ERR INVALID-ARGUMENT' }, async (client) => {
      assert.equal(await client.enableTracking(), false);
    });
  });

  it('an access refusal on SET TRACKING is not mistaken for an old server', async () => {
    await withScript({ 'SET TRACKING ON': 'ERR ACCESS-DENIED' }, async (client) => {
      await assert.rejects(client.enableTracking(), NutAccessDeniedError);
    });
  });

  it('waitForTracking polls until the driver answers', async () => {
    let polls = 0;
    const server = await startFakeNutServer((request, socket) => {
      if (request === 'GET TRACKING "t1"') {
        polls += 1;
        socket.write(polls < 3 ? 'PENDING\n' : 'SUCCESS\n');
      } else socket.write('ERR UNKNOWN-COMMAND\n');
    });
    const client = await NutClient.connect({ host: '127.0.0.1', port: server.port, timeoutMs: 1000 });
    try {
      assert.equal(await client.waitForTracking('t1', { intervalMs: 5, timeoutMs: 2000 }), 'SUCCESS');
      assert.equal(polls, 3);
    } finally {
      client.destroy();
      await server.close();
    }
  });

  it('a failed command reports the driver result, not an exception', async () => {
    await withScript({ 'GET TRACKING "t2"': 'ERR FAILED' }, async (client) => {
      assert.equal(await client.getTracking('t2'), 'FAILED');
    });
  });
});
