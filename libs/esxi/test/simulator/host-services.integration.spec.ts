import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CommandFailedError, ConnectionError, esxcli, hostServices } from '../../src';
import { type ClientAndFleet, ESXI_VERSIONS, startClientAndFleet } from './support/simulated-fleet';
import { VibFiles } from './support/vib-files';

for (const version of ESXI_VERSIONS) {
  describe(`NutClient service and plain poweroff on a simulated ESXi ${version}`, { timeout: 30_000 }, () => {
    let sim: ClientAndFleet;
    const vibs = new VibFiles();
    before(async () => {
      sim = await startClientAndFleet({
        hosts: 1,
        defaults: {
          version,
          acceptanceLevel: 'CommunitySupported',
          // Shuts down in reverse start order: app01 by guest OS, nutsrv last.
          vms: [
            { name: 'nutsrv', autostart: { startOrder: 1, stopAction: 'guestShutdown', stopDelay: 50 } },
            { name: 'app01', autostart: { startOrder: 2, stopAction: 'guestShutdown', stopDelay: 50 } },
          ],
        },
      });
    });
    after(async () => {
      await sim.stop();
      vibs.remove();
    });

    it('upsmon: not installed is a plain command failure', { timeout: 10_000 }, async () => {
      await assert.rejects(hostServices.upsmonStatus(sim.host(0)), (err) => {
        assert.ok(err instanceof CommandFailedError, String(err));
        assert.equal(err.exitCode, 127);
        return true;
      });
    });

    it('upsmon start / status / restart / stop; restart picks up changed UserVars', { timeout: 10_000 }, async () => {
      const host = sim.host(0);
      const state = sim.fleet.host(0).state;
      const { path } = await vibs.uploadVib(host);
      await esxcli.vibInstall(host, { source: { vib: path } });

      assert.deepEqual(await hostServices.upsmonStatus(host), { running: false, message: 'NUT client is not running' });
      assert.equal(await hostServices.upsmonControl(host, 'start'), 'NUT client started');
      assert.equal(await hostServices.upsmonControl(host, 'start'), 'NUT client already running');
      assert.deepEqual(await hostServices.upsmonStatus(host), { running: true, message: 'NUT client is running' });

      await esxcli.advancedSetString(host, '/UserVars/NutUpsName', 'eaton@10.0.0.5');
      assert.equal(state.upsmon.current?.config['NutUpsName'], 'upsname@nutserver');
      assert.equal(await hostServices.upsmonControl(host, 'restart'), 'NUT client stopped\nNUT client started');
      assert.equal(state.upsmon.current?.config['NutUpsName'], 'eaton@10.0.0.5');

      assert.equal(await hostServices.upsmonControl(host, 'stop'), 'NUT client stopped');
      assert.equal((await hostServices.upsmonStatus(host)).running, false);
      await hostServices.upsmonControl(host, 'start');
    });

    it(
      'plain poweroff: VMs stop by the autostart order, then the host stops answering',
      { timeout: 10_000 },
      async () => {
        const host = sim.host(0);
        const simHost = sim.fleet.host(0);
        assert.equal(await hostServices.hostPoweroff(host), 'exited');
        const deadline = Date.now() + 5_000;
        while (simHost.power !== 'off' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        assert.equal(simHost.power, 'off');
        assert.deepEqual(
          simHost.state.powerLog.filter((e) => e.event.startsWith('vm-')).map((e) => `${e.event} ${e.detail ?? ''}`),
          ['vm-guest-shutdown app01', 'vm-guest-shutdown nutsrv'],
        );
        assert.equal(simHost.state.upsmon.running, false);
        await assert.rejects(hostServices.upsmonStatus(host), ConnectionError);
      },
    );
  });
}
