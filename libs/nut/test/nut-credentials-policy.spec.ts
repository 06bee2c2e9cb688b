import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { NutClient, NutCredentialsWithheldError, testNutConnection } from '../src';
import { type FakeNutServer, startFakeNutServer } from './fake-nut-server';

const CANARY = 'canary-pa55-0b5e7';

// A plaintext NUT server that declines STARTTLS (as upsd without a certificate does) and records
// every line it receives: the password must reach it only when the TLS policy is `off`.
describe('the NUT password is only sent as the TLS policy allows', () => {
  let server: FakeNutServer;
  const received: string[] = [];

  before(async () => {
    server = await startFakeNutServer((line, socket) => {
      received.push(line);
      const [command] = line.split(' ');
      if (command === 'STARTTLS') socket.write('ERR FEATURE-NOT-CONFIGURED\n');
      else if (command === 'VER') socket.write('Network UPS Tools upsd 2.8.0\n');
      else if (command === 'PROTVER') socket.write('1.3\n');
      else if (line === 'LIST UPS') socket.write('BEGIN LIST UPS\nUPS ups1 "test"\nEND LIST UPS\n');
      else socket.write('OK\n');
    });
  });
  after(() => server.close());

  for (const mode of ['opportunistic', 'required'] as const) {
    it(`${mode}: nothing secret is sent to a server without TLS`, async () => {
      received.length = 0;
      const options = { host: '127.0.0.1', port: server.port, tls: { mode } };
      await assert.rejects(
        testNutConnection({ ...options, credentials: { username: 'mon', password: CANARY } }),
        mode === 'opportunistic' ? NutCredentialsWithheldError : /STARTTLS|not offer|TLS/i,
      );
      assert.ok(!received.some((line) => line.includes(CANARY) || line.startsWith('USERNAME')), received.join('|'));
    });
  }

  it('opportunistic: readings still flow, and a direct PASSWORD is refused before it is written', async () => {
    received.length = 0;
    const client = await NutClient.connect({ host: '127.0.0.1', port: server.port, tls: { mode: 'opportunistic' } });
    try {
      assert.equal(client.mayAuthenticate, false);
      assert.deepEqual(
        (await client.listUps()).map((u) => u.name),
        ['ups1'],
      );
      await assert.rejects(client.setPassword(CANARY), NutCredentialsWithheldError);
      await assert.rejects(client.authenticate({ username: 'mon', password: CANARY }), /not sent in clear text/);
    } finally {
      await client.close();
    }
    assert.ok(!received.some((line) => line.includes(CANARY)));
  });

  it('off: the administrator chose plaintext, the password is sent', async () => {
    received.length = 0;
    const result = await testNutConnection({
      host: '127.0.0.1',
      port: server.port,
      tls: { mode: 'off' },
      credentials: { username: 'mon', password: CANARY },
    });
    assert.equal(result.loggedInTo, 'ups1');
    assert.ok(received.includes(`PASSWORD ${CANARY}`) || received.includes(`PASSWORD "${CANARY}"`), received.join('|'));
  });
});
