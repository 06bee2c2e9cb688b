import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  NutClient,
  NutConnectError,
  NutConnectionClosedError,
  NutLineTooLongError,
  NutProtocolError,
  NutReplyTooLargeError,
  NutTimeoutError,
  NutUnknownCommandError,
} from '../src';
import { type FakeNutHandler, startFakeNutServer } from './fake-nut-server';

async function withServer<T>(handler: FakeNutHandler, run: (port: number) => Promise<T>): Promise<T> {
  const server = await startFakeNutServer(handler);
  try {
    return await run(server.port);
  } finally {
    await server.close();
  }
}

describe('a hostile or broken server gives typed errors, never hangs', () => {
  it('never answering: NutTimeoutError, and the connection is dropped', async () => {
    await withServer(
      () => undefined,
      async (port) => {
        const client = await NutClient.connect({ host: '127.0.0.1', port, timeoutMs: 150 });
        const started = Date.now();
        const inFlight = client.getVar('u', 'v');
        const queued = client.ver();
        await assert.rejects(inFlight, NutTimeoutError);
        assert.ok(Date.now() - started < 1000);
        await assert.rejects(queued, NutConnectionClosedError);
        assert.equal(client.closed, true);
      },
    );
  });

  it('a queued request times out on its own clock even behind a slow one', async () => {
    await withServer(
      () => undefined,
      async (port) => {
        const client = await NutClient.connect({ host: '127.0.0.1', port, timeoutMs: 1000 });
        const first = client.ver();
        await assert.rejects(client.ver({ timeoutMs: 50 }), NutTimeoutError);
        assert.equal(client.closed, false, 'a request never written does not kill the stream');
        await assert.rejects(first, NutTimeoutError);
      },
    );
  });

  it('an endless line: NutLineTooLongError after maxLineLength bytes', async () => {
    await withServer(
      (_request, socket) => {
        const chunk = Buffer.alloc(64 * 1024, 0x41);
        const pump = (): void => {
          if (socket.destroyed) return;
          socket.write(chunk, () => setImmediate(pump));
        };
        pump();
      },
      async (port) => {
        const client = await NutClient.connect({ host: '127.0.0.1', port, maxLineLength: 1024 });
        await assert.rejects(client.listVars('u'), NutLineTooLongError);
      },
    );
  });

  it('an endless LIST: NutReplyTooLargeError', async () => {
    await withServer(
      (_request, socket) => {
        socket.write('BEGIN LIST VAR u\n');
        let n = 0;
        const pump = (): void => {
          if (socket.destroyed) return;
          n += 1;
          socket.write(`VAR u v${n} "${'x'.repeat(100)}"\n`.repeat(100), () => setImmediate(pump));
        };
        pump();
      },
      async (port) => {
        const client = await NutClient.connect({ host: '127.0.0.1', port, maxListBytes: 64 * 1024 });
        await assert.rejects(client.listVars('u'), NutReplyTooLargeError);
        const rowLimited = await NutClient.connect({ host: '127.0.0.1', port, maxListRows: 10 });
        await assert.rejects(rowLimited.listVars('u'), NutReplyTooLargeError);
      },
    );
  });

  it('garbage, wrong echoes and unsolicited lines: NutProtocolError', async () => {
    const replies = new Map<string, string>([
      ['VER', 'fine\n'],
      ['GET VAR "u" "v"', 'VAR u other "x"\n'],
      ['LIST VAR "u"', 'BEGIN LIST VAR other\n'],
      ['LIST UPS', 'BEGIN LIST UPS\nUPS a "unterminated\n'],
      ['NETVER', 'not a version\n'],
      ['GET NUMLOGINS "u"', '1.3\nsurprise\n'],
    ]);
    await withServer(
      (request, socket) => socket.write(replies.get(request) ?? 'ERR UNKNOWN-COMMAND\n'),
      async (port) => {
        const cases: [string, (client: NutClient) => Promise<unknown>][] = [
          ['wrong var echo', (client) => client.getVar('u', 'v')],
          ['wrong list echo', (client) => client.listVars('u')],
          ['unterminated quote', (client) => client.listUps()],
          ['bad version', (client) => client.netVer()],
          ['unsolicited line', (client) => client.getNumLogins('u')],
        ];
        for (const [label, run] of cases) {
          const client = await NutClient.connect({ host: '127.0.0.1', port, timeoutMs: 500 });
          await assert.rejects(run(client), NutProtocolError, label);
          assert.equal(client.closed, true, label);
        }
        const client = await NutClient.connect({ host: '127.0.0.1', port, timeoutMs: 500 });
        assert.equal(await client.ver(), 'fine');
        await assert.rejects(client.help(), NutUnknownCommandError);
        // After VER, the server sends nothing unsolicited here: still usable.
        assert.equal(await client.ver(), 'fine');
        client.destroy();
      },
    );
  });

  it('PROTVER falls back to NETVER and PRIMARY to MASTER on a 2.7 server', async () => {
    const sent: string[] = [];
    await withServer(
      (request, socket) => {
        sent.push(request);
        if (request === 'NETVER') socket.write('1.2\n');
        else if (request === 'MASTER "u"') socket.write('OK MASTER-GRANTED\n');
        else socket.write('ERR UNKNOWN-COMMAND\n');
      },
      async (port) => {
        const client = await NutClient.connect({ host: '127.0.0.1', port });
        assert.equal(await client.protocolVersion(), '1.2');
        assert.equal(await client.primary('u'), 'MASTER');
        await client.close();
        assert.deepEqual(sent, ['PROTVER', 'NETVER', 'PRIMARY "u"', 'MASTER "u"', 'LOGOUT']);
      },
    );
  });

  it('a server that closes mid-reply: NutConnectionClosedError', async () => {
    await withServer(
      (_request, socket) => socket.end('BEGIN LIST UPS\nUPS a "b"\n'),
      async (port) => {
        const client = await NutClient.connect({ host: '127.0.0.1', port });
        await assert.rejects(client.listUps(), NutConnectionClosedError);
      },
    );
  });

  it('nothing listening: NutConnectError', async () => {
    const server = await startFakeNutServer(() => undefined);
    const port = server.port;
    await server.close();
    await assert.rejects(NutClient.connect({ host: '127.0.0.1', port }), NutConnectError);
  });
});
