import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Client } from 'ssh2';

interface CliHost {
  id: string;
  address: string;
  port: number;
  username: string;
  password: string;
  mac: string;
  fingerprint: string;
}

describe('esxi-sim CLI', () => {
  it('prints the fleet as JSON, serves it, and stops cleanly on SIGTERM', async () => {
    // Compiled next to this spec: dist/libs/testing/test/esxi-sim → dist/libs/testing/src/esxi-sim.
    const cli = join(__dirname, '..', '..', 'src', 'esxi-sim', 'sim.cli.js');
    const child = spawn(process.execPath, [cli, '--hosts', '3', '--seed', 'cli-test', '--version', '6.7'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const parsed = await new Promise<{ wol: { port: number }; hosts: CliHost[] }>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        try {
          resolve(JSON.parse(out) as { wol: { port: number }; hosts: CliHost[] });
        } catch {
          // Not complete yet.
        }
      });
      child.once('exit', (code) => reject(new Error(`CLI exited early with ${code}`)));
    });
    assert.equal(parsed.hosts.length, 3);
    assert.ok(parsed.wol.port > 0);
    const host = parsed.hosts[2];
    assert.ok(host);
    assert.match(host.fingerprint, /^SHA256:/);
    assert.equal(host.mac, '00:25:90:00:00:02');

    const client = new Client();
    await new Promise<void>((resolve, reject) =>
      client
        .once('ready', () => resolve())
        .on('error', reject)
        .connect({ host: host.address, port: host.port, username: host.username, password: host.password }),
    );
    const stdout = await new Promise<string>((resolve, reject) =>
      client.exec('esxcli system version get', (err, stream) => {
        if (err) return reject(err);
        let s = '';
        stream.on('data', (d: Buffer) => (s += d.toString())).on('close', () => resolve(s));
      }),
    );
    client.end();
    assert.match(stdout, /Version: 6\.7\.0/);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
