import assert from 'node:assert/strict';
import { type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { NutClient, NutConnectionClosedError, NutUnknownUpsError } from '../src';
import { type FakeNutHandler, startFakeNutServer } from './fake-nut-server';

async function withServer<T>(handler: FakeNutHandler, run: (port: number) => Promise<T>): Promise<T> {
  const server = await startFakeNutServer(handler);
  try {
    return await run(server.port);
  } finally {
    await server.close();
  }
}

/** The UPS named by `LIST VAR "<ups>"` (the client quotes every argument). */
function upsOf(request: string): string | undefined {
  return /^LIST VAR "(.*)"$/.exec(request)?.[1];
}

function listVarReply(ups: string, status: string): string {
  return `BEGIN LIST VAR ${ups}\nVAR ${ups} ups.status "${status}"\nEND LIST VAR ${ups}\n`;
}

describe('pipelined LIST VAR (one write per poll round)', () => {
  it('writes every request before the first reply and gives each UPS its own reply', async () => {
    const received: string[] = [];
    let held: Socket | undefined;
    await withServer(
      (request, socket) => {
        received.push(request);
        held = socket;
      },
      async (port) => {
        const client = await NutClient.connect({ host: '127.0.0.1', port, timeoutMs: 2000 });
        const round = client.listVarsOfEach(['ups1', 'ups2', 'ups3']);
        // The server has answered nothing yet: all three requests must already be there.
        for (let i = 0; i < 100 && received.length < 3; i += 1) await new Promise((r) => setTimeout(r, 10));
        assert.deepEqual(received.map(upsOf), ['ups1', 'ups2', 'ups3']);
        held?.write(listVarReply('ups1', 'OL') + 'ERR UNKNOWN-UPS\n' + listVarReply('ups3', 'OB LB'));
        const replies = await round;
        assert.equal(replies.length, 3);
        const [first, second, third] = replies;
        assert.ok(first?.ok === true && first.ups === 'ups1');
        assert.equal(first.variables['ups.status'], 'OL');
        assert.ok(second?.ok === false && second.ups === 'ups2');
        assert.ok(second.error instanceof NutUnknownUpsError, 'an ERR is the reply of that UPS alone');
        assert.ok(third?.ok === true && third.ups === 'ups3');
        assert.equal(third.variables['ups.status'], 'OB LB');
        assert.equal(client.closed, false);
        await client.close();
      },
    );
  });

  it('a request made after the round waits for it and still gets its own reply', async () => {
    await withServer(
      (request, socket) => {
        const ups = upsOf(request);
        if (ups !== undefined) socket.write(listVarReply(ups, 'OL'));
        else if (request === 'VER') socket.write('Network UPS Tools upsd 2.8.2\n');
      },
      async (port) => {
        const client = await NutClient.connect({ host: '127.0.0.1', port, timeoutMs: 2000 });
        const round = client.listVarsOfEach(['a', 'b']);
        const ver = client.ver();
        const replies = await round;
        assert.deepEqual(
          replies.map((r) => (r.ok ? `${r.ups}=${r.variables['ups.status'] ?? ''}` : r.ups)),
          ['a=OL', 'b=OL'],
        );
        assert.equal(await ver, 'Network UPS Tools upsd 2.8.2');
        await client.close();
      },
    );
  });

  it('the connection dropping mid-round fails every UPS not yet answered, typed', async () => {
    await withServer(
      (request, socket) => {
        if (upsOf(request) === 'a') socket.write(listVarReply('a', 'OL'));
        if (upsOf(request) === 'b') socket.destroy();
      },
      async (port) => {
        const client = await NutClient.connect({ host: '127.0.0.1', port, timeoutMs: 2000 });
        const replies = await client.listVarsOfEach(['a', 'b', 'c']);
        assert.equal(replies[0]?.ok, true);
        for (const reply of replies.slice(1)) {
          assert.ok(reply.ok === false && reply.error instanceof NutConnectionClosedError, reply.ups);
        }
        assert.equal(client.closed, true);
      },
    );
  });
});
