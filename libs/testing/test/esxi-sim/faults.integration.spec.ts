import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startEsxiFleet, type EsxiFleet } from '../../src/esxi-sim';
import { closeConnections, runOn, TestSsh } from './ssh-test.client';

describe('esxi-sim fault injection', () => {
  let fleet: EsxiFleet;
  before(async () => {
    fleet = await startEsxiFleet({
      hosts: 2,
      msPerSecond: 5,
      defaults: { vms: [{ name: 'vm1', guestShutdownMs: 10 }] },
    });
  });
  after(async () => {
    await closeConnections();
    await fleet.stop();
  });

  it('auth failure rejects the right password until cleared', async () => {
    fleet.injectFault(0, { kind: 'auth-failure' });
    await assert.rejects(TestSsh.connect(fleet.host(0)), /authentication methods failed/);
    fleet.clearFaults(0);
    (await TestSsh.connect(fleet.host(0))).end();
  });

  it('a changed host key presents another fingerprint', async () => {
    const host = fleet.host(0);
    const original = host.fingerprint;
    fleet.injectFault(0, { kind: 'host-key-changed' });
    let seen = '';
    const ssh = await TestSsh.connect(host, {
      hostVerifier: (key: Buffer) => (
        (seen = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`),
        true
      ),
    });
    ssh.end();
    assert.notEqual(seen, original);
    assert.equal(seen, host.fingerprint);
    fleet.clearFaults(0, 'host-key-changed');
    assert.equal(host.fingerprint, original);
  });

  it('slow commands answer after the delay', async () => {
    const ssh = await TestSsh.connect(fleet.host(0));
    fleet.injectFault(0, { kind: 'slow-commands', delayMs: 400, match: 'version' });
    const t = Date.now();
    assert.equal((await ssh.exec('esxcli system version get')).code, 0);
    assert.ok(Date.now() - t >= 390);
    const t2 = Date.now();
    await ssh.exec('esxcli system maintenanceMode get');
    assert.ok(Date.now() - t2 < 390, 'non-matching commands are not slowed');
    ssh.end();
    fleet.clearFaults(0);
  });

  it('hanging commands never answer', async () => {
    fleet.injectFault(0, { kind: 'hanging-commands', times: 1 });
    const ssh = await TestSsh.connect(fleet.host(0));
    const outcome = await Promise.race([
      ssh.exec('esxcli system version get').then(() => 'answered'),
      new Promise((r) => setTimeout(() => r('hung'), 300)),
    ]);
    assert.equal(outcome, 'hung');
    ssh.end();
    assert.equal((await runOn(fleet.host(0), 'esxcli system version get')).code, 0, 'times: 1 clears the fault');
  });

  it('drops the connection mid-command', async () => {
    fleet.injectFault(1, { kind: 'drop-connection', partialOutput: '   Product: VMware ESXi\n' });
    const ssh = await TestSsh.connect(fleet.host(1));
    const closed = new Promise<void>((resolve) => ssh.client.once('close', () => resolve()));
    const result = await ssh.exec('esxcli system version get');
    assert.equal(result.code, undefined, 'no exit status');
    assert.equal(result.stdout, '   Product: VMware ESXi\n');
    await closed;
    fleet.clearFaults(1);
  });

  it('no space left fails SFTP writes with SSH_FX_FAILURE', async () => {
    fleet.injectFault(1, { kind: 'no-space-left', afterBytes: 1000 });
    const ssh = await TestSsh.connect(fleet.host(1));
    await assert.rejects(
      ssh.upload('/tmp/big.vib', Buffer.alloc(64 * 1024, 1)),
      (e: Error & { code?: number }) => e.code === 4 && /Failure/.test(e.message),
    );
    ssh.end();
    assert.equal(
      fleet.host(1).files.file('/tmp/big.vib')?.data.length,
      1000,
      'a partial file remains, like a full disk',
    );
    fleet.clearFaults(1);
  });

  it('a VM that never stops ignores guest shutdown (and power off if asked)', async () => {
    const host = fleet.host(1);
    fleet.injectFault(1, { kind: 'vm-never-stops', vmId: 1, ignoresPowerOff: true });
    assert.equal((await runOn(host, 'vim-cmd vmsvc/power.shutdown 1')).code, 0);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(host.state.vm(1)?.power, 'on');
    const off = await runOn(host, 'vim-cmd vmsvc/power.off 1');
    assert.equal(off.code, 1);
    assert.match(off.stderr, /vim\.fault\.TaskInProgress/);
    fleet.clearFaults(1);
    assert.equal((await runOn(host, 'vim-cmd vmsvc/power.off 1')).code, 0);
  });
});
