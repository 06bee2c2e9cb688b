import assert from 'node:assert/strict';

import { failedFactReads, type Host, type HostFacts, isHostFacts } from '@nutfleet/db';
import { NUT_USER_VAR_NAMES, type SimulatedHost, vmFile } from '@nutfleet/testing';

const POWER = { on: 'poweredOn', off: 'poweredOff', suspended: 'suspended' } as const;

/** Asserts that a discovered Host row says exactly what the simulated host's model holds. */
export function assertMatchesSimulator(row: Host, sim: SimulatedHost): HostFacts {
  const s = sim.state;
  const label = sim.id;
  assert.ok(isHostFacts(row.facts), `${label}: facts stored with the current schema version`);
  const facts = row.facts;
  assert.equal(row.lastError, null, `${label}: no error`);
  assert.ok(row.lastSeenAt, `${label}: lastSeenAt`);
  assert.equal(row.esxiVersion, s.esxi.version, `${label}: version`);
  assert.equal(row.esxiBuild, s.esxi.build, `${label}: build`);
  assert.deepEqual(
    facts.esxi,
    {
      product: s.esxi.product,
      version: s.esxi.version,
      build: s.esxi.build,
      buildNumber: Number(/(\d+)$/.exec(s.esxi.build)?.[1]),
      update: Number(s.esxi.update),
      patch: Number(s.esxi.patch),
    },
    label,
  );
  assert.deepEqual(failedFactReads(facts), [], `${label}: every read succeeded`);
  const nics = facts.nics ?? [];
  assert.equal(nics[0]?.macAddress, s.mac, `${label}: vmnic0 MAC`);
  assert.equal(nics.length, 2, `${label}: both NICs`);
  assert.deepEqual(row.macAddresses, [...new Set(nics.map((n) => n.macAddress))], `${label}: WOL MACs filled`);
  assert.deepEqual(
    facts.vms.map(({ id, name, guestOs, hwVersion, powerState, file }) => ({
      id,
      name,
      guestOs,
      hwVersion,
      powerState,
      file,
    })),
    s.vms.map((vm) => ({
      id: vm.id,
      name: vm.name,
      guestOs: vm.guestOs,
      hwVersion: vm.hwVersion,
      powerState: POWER[vm.power],
      file: vmFile(vm),
    })),
    `${label}: VMs`,
  );
  assert.deepEqual(
    facts.vms.map((vm) => vm.tools),
    s.vms.map((vm) => (!vm.tools ? 'notInstalled' : vm.power === 'on' ? 'running' : 'notRunning')),
    `${label}: VMware Tools state`,
  );
  assert.deepEqual(
    facts.autostart.sequence,
    s.vms
      .filter((vm) => vm.autostart)
      .sort((a, b) => (a.autostart?.startOrder ?? 0) - (b.autostart?.startOrder ?? 0))
      .map((vm) => ({ vmId: vm.id, ...vm.autostart })),
    `${label}: autostart sequence`,
  );
  assert.deepEqual(facts.autostart.defaults, { ...s.autostartDefaults }, `${label}: autostart defaults`);
  const vib = s.vibs.get('upsmon');
  if (vib) {
    assert.deepEqual(
      facts.nutClient,
      {
        installed: true,
        version: vib.descriptor.version,
        vendor: vib.descriptor.vendor,
        acceptanceLevel: 'CommunitySupported',
        installDate: vib.installDate,
      },
      `${label}: VIB`,
    );
    assert.equal(row.vibVersion, vib.descriptor.version);
  } else {
    assert.deepEqual(facts.nutClient, { installed: false }, `${label}: no VIB`);
    assert.equal(row.vibVersion, null);
  }
  for (const name of NUT_USER_VAR_NAMES) {
    const value = s.settings.get(`/UserVars/${name}`);
    const fact = facts.nutUserVars?.[name];
    if (value === undefined) {
      assert.equal(fact, undefined, `${label}: ${name} absent`);
    } else if (name === 'NutPassword') {
      assert.deepEqual(fact, { type: 'secret', set: value !== '' }, `${label}: ${name} never stored`);
    } else {
      assert.equal(fact && 'value' in fact ? fact.value : undefined, value, `${label}: ${name}`);
    }
  }
  assert.equal(facts.acceptanceLevel, s.acceptanceLevel, `${label}: acceptance level`);
  assert.equal(facts.maintenanceMode, s.maintenanceMode, `${label}: maintenance mode`);
  return facts;
}
