import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startEsxiFleet, type EsxiFleet, type SimulatedHost } from '../../src/esxi-sim';
import { closeConnections, runOn, waitFor } from './ssh-test.client';

function magicPacket(mac: string): Buffer {
  const m = Buffer.from(mac.split(':').map((h) => Number.parseInt(h, 16)));
  return Buffer.concat([Buffer.alloc(6, 0xff), ...Array.from({ length: 16 }, () => m)]);
}

async function sendMagic(fleet: EsxiFleet, mac: string): Promise<void> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve, reject) =>
    s.send(magicPacket(mac), fleet.wolPort, fleet.wolAddress, (e) => (e ? reject(e) : resolve())),
  );
  s.close();
}

function portAnswers(host: SimulatedHost): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(host.port, host.address);
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

describe('esxi-sim VMs, maintenance mode, poweroff and Wake-on-LAN', () => {
  let fleet: EsxiFleet;
  before(async () => {
    fleet = await startEsxiFleet({
      msPerSecond: 5,
      hosts: [
        { version: '7.0' },
        {
          version: '6.7',
          bootDelayMs: 150,
          autostartDefaults: { stopAction: 'guestShutdown', stopDelay: 20, startDelay: 2 },
          vms: [
            { name: 'db', guestShutdownMs: 30, autostart: { startOrder: 1 } },
            { name: 'web', guestShutdownMs: 30, autostart: { startOrder: 2 } },
            { name: 'stuck', guestShutdownMs: null, autostart: { startOrder: 3 } },
            { name: 'notools', tools: false },
          ],
        },
        {
          vms: [
            { name: 'slowvm', guestShutdownMs: 150 },
            { name: 'offvm', power: 'off' },
          ],
        },
        { bootDelayMs: 50 },
      ],
    });
  });
  after(async () => {
    await closeConnections();
    await fleet.stop();
  });

  it('prints power state and performs power operations', async () => {
    const host = fleet.host(0);
    assert.equal((await runOn(host, 'vim-cmd vmsvc/power.getstate 1')).stdout, 'Retrieved runtime info\nPowered on\n');
    assert.equal((await runOn(host, 'vim-cmd vmsvc/power.suspend 2')).stdout, 'Suspending VM:\n');
    assert.equal((await runOn(host, 'vim-cmd vmsvc/power.getstate 2')).stdout, 'Retrieved runtime info\nSuspended\n');
    assert.equal((await runOn(host, 'vim-cmd vmsvc/power.on 2')).stdout, 'Powering on VM:\n');
    assert.equal((await runOn(host, 'vim-cmd vmsvc/power.off 3')).stdout, 'Powering off VM:\n');
    const again = await runOn(host, 'vim-cmd vmsvc/power.off 3');
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      /^\(vim\.fault\.InvalidPowerState\) \{\n {3}faultCause = \(vmodl\.MethodFault\) null, \n/,
    );
    assert.match(again.stderr, /existingState = "poweredOff"/);
    const missing = await runOn(host, 'vim-cmd vmsvc/power.getstate 42');
    assert.match(missing.stderr, /vmodl\.fault\.ManagedObjectNotFound/);
  });

  it('reports the VMware Tools state through vmsvc/get.guest', async () => {
    const withTools = await runOn(fleet.host(2), 'vim-cmd vmsvc/get.guest 1');
    assert.match(withTools.stdout, /^\(vim\.vm\.GuestInfo\) \{/);
    assert.match(withTools.stdout, /toolsRunningStatus = "guestToolsRunning"/);
    const noTools = await runOn(fleet.host(1), 'vim-cmd vmsvc/get.guest 4');
    assert.match(noTools.stdout, /toolsStatus = "toolsNotInstalled"/);
    assert.match(noTools.stdout, /toolsRunningStatus = "guestToolsNotRunning"/);
  });

  it('needs VMware Tools for a guest shutdown, which takes its configured time', async () => {
    const host = fleet.host(1);
    const noTools = await runOn(host, 'vim-cmd vmsvc/power.shutdown 4');
    assert.equal(noTools.code, 1);
    assert.match(noTools.stderr, /vim\.fault\.ToolsUnavailable/);
    const host2 = fleet.host(2);
    assert.deepEqual(await runOn(host2, 'vim-cmd vmsvc/power.shutdown 1'), { stdout: '', stderr: '', code: 0 });
    assert.equal(host2.state.vm(1)?.power, 'on', 'guest shutdown returns at once');
    await waitFor(() => host2.state.vm(1)?.power === 'off', 2000, 'guest shutdown');
  });

  it('prints the autostart sequence and defaults with per-version quirks', async () => {
    const seq67 = (await runOn(fleet.host(1), 'vim-cmd hostsvc/autostartmanager/get_autostartseq')).stdout;
    assert.match(
      seq67,
      /^\(vim\.host\.AutoStartManager\.AutoPowerInfo\) \[\n {3}\(vim\.host\.AutoStartManager\.AutoPowerInfo\) \{\n {6}key = 'vim\.VirtualMachine:1',\n {6}startOrder = 1,/,
    );
    assert.match(seq67, /startAction = "PowerOn"/);
    const seq70 = (await runOn(fleet.host(0), 'vim-cmd hostsvc/autostartmanager/get_autostartseq')).stdout;
    assert.match(seq70, /startAction = "powerOn", \n/);
    assert.equal(
      (await runOn(fleet.host(2), 'vim-cmd hostsvc/autostartmanager/get_autostartseq')).stdout,
      '(vim.host.AutoStartManager.AutoPowerInfo) []\n',
    );
    const defaults = (await runOn(fleet.host(1), 'vim-cmd hostsvc/autostartmanager/get_defaults')).stdout;
    assert.equal(
      defaults,
      '(vim.host.AutoStartManager.SystemDefaults) {\n   enabled = true,\n   startDelay = 2,\n   stopDelay = 20,\n   waitForHeartbeat = false,\n   stopAction = "GuestShutdown",\n}\n',
    );
  });

  it('enters maintenance mode only once running VMs are off; shutdown needs it', async () => {
    const host = fleet.host(2);
    host.state.setVmPower(host.state.vm(1) ?? assert.fail('vm'), 'on');
    const timedOut = await runOn(host, 'esxcli system maintenanceMode set --enable true --timeout 10');
    assert.equal(timedOut.code, 1);
    assert.match(timedOut.stderr, /Unable to enter maintenance mode/);
    const entering = runOn(host, 'esxcli system maintenanceMode set -e true');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(host.state.maintenanceMode, false, 'still waiting for the VM');
    await runOn(host, 'vim-cmd vmsvc/power.shutdown 1');
    assert.equal((await entering).code, 0);
    assert.equal((await runOn(host, 'esxcli system maintenanceMode get')).stdout, 'Enabled\n');
    assert.match(
      (await runOn(host, 'esxcli system maintenanceMode set -e true')).stderr,
      /Maintenance mode is already enabled\./,
    );
    assert.match((await runOn(host, 'vim-cmd vmsvc/power.on 2')).stderr, /vim\.fault\.InvalidState/);
    assert.match(
      (await runOn(host, 'esxcli system shutdown poweroff')).stderr,
      /Missing required parameter -r\|--reason/,
    );
    assert.equal((await runOn(host, 'esxcli system maintenanceMode set -e false')).code, 0);
    const refused = await runOn(host, "esxcli system shutdown poweroff --reason 'UPS on battery'");
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /not in maintenance mode/);
  });

  it('esxcli system shutdown poweroff in maintenance mode powers the host off', async () => {
    const host = fleet.host(3);
    for (const vm of host.state.runningVms()) host.state.setVmPower(vm, 'off');
    assert.equal((await runOn(host, 'esxcli system maintenanceMode set -e true -t 0')).code, 0);
    assert.equal((await runOn(host, "esxcli system shutdown poweroff -r 'UPS on battery'")).code, 0);
    await waitFor(() => host.power === 'off', 2000, 'power off');
    assert.equal(await portAnswers(host), false);
    await sendMagic(fleet, host.mac);
    await waitFor(() => host.power === 'on', 2000, 'boot');
    assert.equal(
      (await runOn(host, 'esxcli system maintenanceMode get')).stdout,
      'Enabled\n',
      'maintenance mode survives a reboot',
    );
  });

  it('poweroff stops VMs per autostart, closes SSH, and a magic packet boots the host', async () => {
    const host = fleet.host(1);
    await runOn(host, 'echo hello > /dev/null');
    const files = host.files;
    files.putFile('/tmp/a.vib', Buffer.from('x'));
    files.putFile('/vmfs/volumes/datastore1/keep.vib', Buffer.from('y'));
    assert.deepEqual(await runOn(host, 'poweroff'), { stdout: '', stderr: '', code: 0 });
    await waitFor(() => host.power === 'off', 3000, 'power off');
    const events = host.state.powerLog.map((e) => `${e.event}${e.detail ? `:${e.detail}` : ''}`);
    // Reverse start order: stuck (never finishes → timeout after its stop delay), web, db; then the rest dies.
    assert.deepEqual(events.slice(0, 7), [
      'poweroff-requested:poweroff',
      'vm-guest-shutdown-timeout:stuck',
      'vm-guest-shutdown:web',
      'vm-guest-shutdown:db',
      'vm-powered-off:notools',
      'vm-killed:stuck',
      'off',
    ]);
    assert.equal(await portAnswers(host), false, 'SSH stops answering');

    await sendMagic(fleet, '00:11:22:33:44:55');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(host.power, 'off', 'a packet for another MAC does nothing');
    await sendMagic(fleet, host.mac);
    await waitFor(() => host.power === 'booting', 1000, 'booting');
    assert.equal(await portAnswers(host), false, 'not answering while booting');
    await waitFor(() => host.power === 'on', 2000, 'boot');
    assert.equal(host.wolPacketsReceived, 1);
    await waitFor(() => host.state.vms.filter((v) => v.power === 'on').length === 3, 2000, 'autostart');
    assert.equal(host.state.vm(4)?.power, 'off', 'VMs without autostart stay off');
    assert.equal(files.file('/tmp/a.vib'), undefined, '/tmp is emptied at boot');
    assert.ok(files.file('/vmfs/volumes/datastore1/keep.vib'));
    assert.equal((await runOn(host, 'vim-cmd vmsvc/power.getstate 1')).stdout, 'Retrieved runtime info\nPowered on\n');
  });
});
