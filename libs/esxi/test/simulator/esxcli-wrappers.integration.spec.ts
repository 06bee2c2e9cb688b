import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AcceptanceLevelError,
  AdvancedOptionNotFoundError,
  AdvancedOptionValueError,
  ConnectionError,
  esxcli,
  InvalidArgumentError,
  MaintenanceModeRequiredError,
  vim,
  VibNotFoundError,
} from '../../src';
import {
  type ClientAndFleet,
  ESXI_VERSION_PROFILES,
  ESXI_VERSIONS,
  lastLogged,
  startClientAndFleet,
} from './support/simulated-fleet';
import { VibFiles } from './support/vib-files';

// Each version's whole esxcli surface, in the order an operator meets it: look, deploy, configure, go down.
for (const version of ESXI_VERSIONS) {
  describe(`esxcli wrappers against a simulated ESXi ${version}`, { timeout: 60_000 }, () => {
    let sim: ClientAndFleet;
    const vibs = new VibFiles();

    before(async () => {
      sim = await startClientAndFleet({ hosts: 1, defaults: { version } });
    });
    after(async () => {
      await sim.stop();
      vibs.remove();
    });

    it('system version get', { timeout: 10_000 }, async () => {
      const expected = ESXI_VERSION_PROFILES[version];
      const got = await esxcli.systemVersionGet(sim.host(0));
      assert.equal(got.product, 'VMware ESXi');
      assert.equal(got.version, expected.version);
      assert.equal(got.build, expected.build);
      assert.equal(got.buildNumber, Number(expected.build.replace(/\D/g, '')));
      assert.equal(got.update, Number(expected.update));
      assert.equal(got.patch, Number(expected.patch));
    });

    it(
      'refuses a community VIB at PartnerSupported, then installs it after acceptance set',
      { timeout: 10_000 },
      async () => {
        const host = sim.host(0);
        assert.equal(await esxcli.acceptanceGet(host), 'PartnerSupported');
        const { fixture, path } = await vibs.uploadVib(host);
        await assert.rejects(esxcli.vibInstall(host, { source: { vib: path }, noSigCheck: true }), (err) => {
          assert.ok(err instanceof AcceptanceLevelError, String(err));
          assert.equal(err.errorType, 'AcceptanceConfigError');
          assert.equal(err.host, host.label);
          assert.match(err.command ?? '', /'software' 'vib' 'install'/);
          return true;
        });
        assert.deepEqual(await esxcli.vibList(host), []);

        await esxcli.acceptanceSet(host, 'CommunitySupported');
        assert.equal(await esxcli.acceptanceGet(host), 'CommunitySupported');
        const result = await esxcli.vibInstall(host, { source: { vib: path }, noSigCheck: true });
        assert.deepEqual(result, {
          message: 'Operation finished successfully.',
          rebootRequired: false,
          vibsInstalled: [fixture.vibId],
          vibsRemoved: [],
          vibsSkipped: [],
        });
      },
    );

    it('software vib list / get / find', { timeout: 10_000 }, async () => {
      const host = sim.host(0);
      const [listed, ...others] = await esxcli.vibList(host);
      assert.deepEqual(others, []);
      assert.equal(listed?.name, 'upsmon');
      assert.equal(listed?.version, '2.8.5-2.7.3');
      assert.equal(listed?.vendor, 'Margar');
      assert.equal(listed?.acceptanceLevel, 'CommunitySupported');
      assert.match(listed?.installDate ?? '', /^\d{4}-\d{2}-\d{2}$/);
      assert.equal((await esxcli.vibFind(host, 'upsmon'))?.version, '2.8.5-2.7.3');
      assert.equal(await esxcli.vibFind(host, 'nope'), undefined);

      const details = await esxcli.vibGet(host, 'upsmon');
      assert.equal(details.id, 'Margar_bootbank_upsmon_2.8.5-2.7.3');
      assert.equal(details.type, 'bootbank');
      assert.equal(details.acceptanceLevel, 'CommunitySupported');
      assert.equal(details.summary, 'Network UPS Tools client');
      assert.equal(details.liveInstallAllowed, true);
      assert.equal(details.maintenanceModeRequired, false);
      assert.deepEqual(details.tags, ['service']);
      assert.deepEqual(details.payloads, ['upsmon']);
      await assert.rejects(esxcli.vibGet(host, 'nope'), VibNotFoundError);
    });

    it('advanced list / set for the UserVars.Nut* options the VIB created', { timeout: 10_000 }, async () => {
      const host = sim.host(0);
      const delay = await esxcli.advancedGet(host, '/UserVars/NutFinalDelay');
      assert.equal(delay.type, 'integer');
      assert.deepEqual([delay.intValue, delay.defaultIntValue, delay.minValue, delay.maxValue], [5, 5, 0, 3600]);
      const ups = await esxcli.advancedGet(host, '/UserVars/NutUpsName');
      assert.equal(ups.type, 'string');
      assert.equal(ups.stringValue, 'upsname@nutserver');

      await esxcli.advancedSetInt(host, '/UserVars/NutFinalDelay', 30);
      await esxcli.advancedSetString(host, '/UserVars/NutUpsName', 'eaton@192.168.1.5');
      assert.equal((await esxcli.advancedGet(host, '/UserVars/NutFinalDelay')).intValue, 30);
      assert.equal((await esxcli.advancedGet(host, '/UserVars/NutUpsName')).stringValue, 'eaton@192.168.1.5');

      // Out of range (0-3600) and the wrong type: the host refuses and nothing changes.
      await assert.rejects(esxcli.advancedSetInt(host, '/UserVars/NutFinalDelay', 99_999), (err) => {
        assert.ok(err instanceof AdvancedOptionValueError, String(err));
        assert.match(err.message, /out of range/);
        assert.equal(err.host, host.label);
        return true;
      });
      await assert.rejects(esxcli.advancedSetString(host, '/UserVars/NutFinalDelay', 'ten'), AdvancedOptionValueError);
      assert.equal((await esxcli.advancedGet(host, '/UserVars/NutFinalDelay')).intValue, 30);

      await esxcli.advancedSetDefault(host, '/UserVars/NutFinalDelay');
      assert.equal((await esxcli.advancedGet(host, '/UserVars/NutFinalDelay')).intValue, 5);
      const names = (await esxcli.advancedList(host)).map((o) => o.path).filter((p) => p.startsWith('/UserVars/Nut'));
      assert.deepEqual(names.sort(), [
        '/UserVars/NutFinalDelay',
        '/UserVars/NutMailTo',
        '/UserVars/NutMinSupplies',
        '/UserVars/NutOnBatteryDelay',
        '/UserVars/NutPassword',
        '/UserVars/NutSendMail',
        '/UserVars/NutSmtpRelay',
        '/UserVars/NutUpsName',
        '/UserVars/NutUser',
      ]);
      await assert.rejects(esxcli.advancedGet(host, '/UserVars/NutNope'), AdvancedOptionNotFoundError);
      // One command for the whole tree gives the same options, and only that tree.
      const tree = await esxcli.advancedListTree(host, '/UserVars');
      assert.ok(tree.every((o) => o.path.startsWith('/UserVars/')));
      assert.deepEqual(
        tree
          .map((o) => o.path)
          .filter((p) => p.startsWith('/UserVars/Nut'))
          .sort(),
        names.sort(),
      );
      await assert.rejects(esxcli.advancedListTree(host, '/UserVars; reboot'), InvalidArgumentError);
    });

    it(
      'install vs update: same version skipped, update only upgrades, install also downgrades',
      { timeout: 15_000 },
      async () => {
        const host = sim.host(0);
        const current = 'Margar_bootbank_upsmon_2.8.5-2.7.3';
        const same = await vibs.uploadVib(host);
        const again = await esxcli.vibInstall(host, { source: { vib: same.path } });
        assert.equal(again.message, 'Host is not changed.');
        assert.deepEqual(again.vibsSkipped, [current]);

        const older = await vibs.uploadVib(host, { version: '2.8.2-2.6.2' });
        const notUpdated = await esxcli.vibUpdate(host, { source: { vib: older.path } });
        assert.deepEqual([notUpdated.vibsInstalled, notUpdated.vibsSkipped], [[], [older.fixture.vibId]]);

        const newer = await vibs.uploadVib(host, { version: '2.8.5-2.7.4' });
        const depot = await vibs.uploadBundle(host, newer.fixture);
        const updated = await esxcli.vibUpdate(host, { source: { depot } });
        assert.deepEqual([updated.vibsInstalled, updated.vibsRemoved], [[newer.fixture.vibId], [current]]);
        // Upgrades keep the configured values (upsmon-install saves and restores them).
        assert.equal((await esxcli.advancedGet(host, '/UserVars/NutUpsName')).stringValue, 'eaton@192.168.1.5');

        const downgraded = await esxcli.vibInstall(host, { source: { vib: same.path }, dryRun: true });
        assert.match(downgraded.message, /^Dryrun only/);
        assert.equal((await esxcli.vibFind(host, 'upsmon'))?.version, '2.8.5-2.7.4');
        const installed = await esxcli.vibInstall(host, { source: { vib: same.path } });
        assert.deepEqual([installed.vibsInstalled, installed.vibsRemoved], [[current], [newer.fixture.vibId]]);
      },
    );

    it('software vib remove deletes the VIB and its UserVars', { timeout: 10_000 }, async () => {
      const host = sim.host(0);
      const result = await esxcli.vibRemove(host, 'upsmon');
      assert.deepEqual(result.vibsRemoved, ['Margar_bootbank_upsmon_2.8.5-2.7.3']);
      assert.equal(result.rebootRequired, false);
      await assert.rejects(esxcli.vibGet(host, 'upsmon'), VibNotFoundError);
      await assert.rejects(esxcli.vibRemove(host, 'upsmon'), VibNotFoundError);
      await assert.rejects(esxcli.advancedGet(host, '/UserVars/NutFinalDelay'), AdvancedOptionNotFoundError);
      // Raising the level back is allowed again once no community VIB is left.
      await esxcli.acceptanceSet(host, 'PartnerSupported');
      assert.equal(await esxcli.acceptanceGet(host), 'PartnerSupported');
    });

    it('network nic list gives the MACs Wake-on-LAN needs', { timeout: 10_000 }, async () => {
      const nics = await esxcli.nicList(sim.host(0));
      assert.deepEqual(
        nics.map((n) => n.name),
        ['vmnic0', 'vmnic1'],
      );
      assert.equal(nics[0]?.macAddress, sim.fleet.host(0).mac);
      assert.equal(nics[0]?.linkStatus, 'Up');
      assert.equal(nics[0]?.speedMbps, 1000);
      assert.equal(nics[0]?.mtu, 1500);
      assert.equal(nics[0]?.pciDevice, '0000:05:00.0');
    });

    it('maintenance mode get / set, then shutdown poweroff stops the host', { timeout: 15_000 }, async () => {
      const host = sim.host(0);
      const simHost = sim.fleet.host(0);
      assert.equal(await esxcli.maintenanceModeGet(host), false);
      await assert.rejects(esxcli.shutdownPoweroff(host, 'UPS on battery'), MaintenanceModeRequiredError);
      // A standalone host enters maintenance mode only once its VMs are down.
      await assert.rejects(esxcli.maintenanceModeSet(host, true, { timeoutSeconds: 1 }), /operation timed out/);
      for (const vm of (await vim.getAllVms(host)).vms)
        if ((await vim.powerGetState(host, vm.id)) === 'poweredOn') await vim.powerOff(host, vm.id);
      await esxcli.maintenanceModeSet(host, true, { timeoutSeconds: 10 });
      assert.equal(await esxcli.maintenanceModeGet(host), true);
      // Setting the state it already has is not an error: callers state what they want.
      await esxcli.maintenanceModeSet(host, true);
      await esxcli.maintenanceModeSet(host, false);
      assert.equal(await esxcli.maintenanceModeGet(host), false);
      await esxcli.maintenanceModeSet(host, true);

      await esxcli.shutdownPoweroff(host, 'UPS on battery', { delaySeconds: 0 });
      assert.deepEqual(lastLogged(simHost).argv.slice(-4), ['--reason', 'UPS on battery', '--delay', '0']);
      const deadline = Date.now() + 5_000;
      while (simHost.power !== 'off' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(simHost.power, 'off');
      await assert.rejects(esxcli.systemVersionGet(host), ConnectionError);
    });
  });
}
