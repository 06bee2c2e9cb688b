import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { Client, type Prompt } from 'ssh2';
import { startEsxiFleet, type EsxiFleet } from '../../src/esxi-sim';
import { generateEd25519KeyPair } from '../../src/ssh/ed25519-key-pair';
import { TestSsh } from './ssh-test.client';

describe('esxi-sim SSH authentication', () => {
  const clientKey = generateEd25519KeyPair();
  let fleet: EsxiFleet;

  before(async () => {
    fleet = await startEsxiFleet({
      hosts: [{ authorizedKeys: [clientKey.public] }, { authMethods: ['keyboard-interactive'] }],
    });
  });
  after(() => fleet.stop());

  it('gives every host its own port, key, MAC and credentials', () => {
    const [a, b] = fleet.info();
    assert.ok(a && b);
    assert.notEqual(a.port, b.port);
    assert.notEqual(a.fingerprint, b.fingerprint);
    assert.match(a.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.match(a.publicKey, /^ssh-ed25519 AAAA/);
    assert.match(a.mac, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    assert.notEqual(a.mac, b.mac);
    assert.equal(a.username, 'root');
  });

  it('accepts the password and presents the advertised host key', async () => {
    const host = fleet.host(0);
    let presented = '';
    const ssh = await TestSsh.connect(host, {
      hostVerifier: (key: Buffer) => {
        presented = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
        return true;
      },
    });
    assert.equal(presented, host.fingerprint);
    assert.equal((await ssh.exec('esxcli system version get')).code, 0);
    ssh.end();
  });

  it('accepts keyboard-interactive with a "Password: " prompt', async () => {
    const host = fleet.host(1);
    const prompts: string[] = [];
    const client = new Client();
    await new Promise<void>((resolve, reject) => {
      client
        .on(
          'keyboard-interactive',
          (_n: string, _i: string, _l: string, p: Prompt[], finish: (a: string[]) => void) => {
            prompts.push(...p.map((x) => x.prompt));
            finish([host.password]);
          },
        )
        .once('ready', () => resolve())
        .once('error', reject)
        .connect({ host: host.address, port: host.port, username: 'root', tryKeyboard: true });
    });
    client.end();
    assert.deepEqual(prompts, ['Password: ']);
  });

  it('refuses password auth where only keyboard-interactive is offered', async () => {
    const host = fleet.host(1);
    await assert.rejects(TestSsh.connect(host, { tryKeyboard: false }), /authentication methods failed/);
  });

  it('accepts an authorized public key and refuses an unknown one', async () => {
    const host = fleet.host(0);
    const ssh = await TestSsh.connect(host, { password: undefined, privateKey: clientKey.private });
    ssh.end();
    const other = generateEd25519KeyPair();
    await assert.rejects(
      TestSsh.connect(host, { password: undefined, privateKey: other.private }),
      /authentication methods failed/,
    );
  });

  it('refuses a wrong password', async () => {
    await assert.rejects(TestSsh.connect(fleet.host(0), { password: 'wrong' }), /authentication methods failed/);
  });
});
