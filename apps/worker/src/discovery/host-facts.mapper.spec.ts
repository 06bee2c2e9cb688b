import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { isHostFacts } from '@nutfleet/db';
import { type AdvancedOption } from '@nutfleet/esxi';

import { buildDiscoveredHost, type HostReadings, nutUserVars } from './host-facts.mapper';

const option = (path: string, type: 'integer' | 'string', value: number | string): AdvancedOption => ({
  path,
  type,
  intValue: type === 'integer' ? (value as number) : undefined,
  defaultIntValue: type === 'integer' ? 5 : undefined,
  minValue: undefined,
  maxValue: undefined,
  stringValue: type === 'string' ? (value as string) : undefined,
  defaultStringValue: type === 'string' ? 'default' : undefined,
  description: '',
});

const readings = (over: Partial<HostReadings> = {}): HostReadings => ({
  version: {
    product: 'VMware ESXi',
    version: '8.0.3',
    build: 'Releasebuild-24022510',
    buildNumber: 24022510,
    update: 3,
    patch: undefined,
  },
  nics: [
    {
      name: 'vmnic0',
      pciDevice: '0000:05:00.0',
      driver: 'igbn',
      adminStatus: 'Up',
      linkStatus: 'Up',
      speedMbps: 1000,
      duplex: 'Full',
      macAddress: '00:25:90:1e:42:50',
      mtu: 1500,
      description: 'I350',
    },
    {
      name: 'vmnic1',
      pciDevice: '0000:05:00.1',
      driver: 'igbn',
      adminStatus: 'Up',
      linkStatus: 'Down',
      speedMbps: undefined,
      duplex: '',
      macAddress: '00:25:90:1e:42:51',
      mtu: undefined,
      description: 'I350',
    },
  ],
  vms: {
    vms: [
      {
        id: 3,
        name: 'nutsrv',
        file: '[ds1] nutsrv/nutsrv.vmx',
        datastore: 'ds1',
        guestOs: 'debian11_64Guest',
        version: 'vmx-19',
        annotation: 'x',
      },
    ],
    invalidVmIds: [9],
  },
  powerStates: new Map([[3, 'poweredOn']]),
  toolsStates: new Map([[3, 'running']]),
  autostartDefaults: {
    enabled: true,
    startDelay: 120,
    stopDelay: 120,
    waitForHeartbeat: false,
    stopAction: 'powerOff',
  },
  autostartSequence: [
    {
      vmId: 3,
      startOrder: 1,
      startDelay: -1,
      startAction: 'powerOn',
      stopDelay: -1,
      stopAction: 'systemDefault',
      waitForHeartbeat: 'systemDefault',
    },
  ],
  vibs: [
    {
      name: 'esx-base',
      version: '8.0.3',
      vendor: 'VMware',
      acceptanceLevel: 'VMwareCertified',
      installDate: '2026-01-01',
    },
    {
      name: 'upsmon',
      version: '2.8.5-2.7.3',
      vendor: 'Margar',
      acceptanceLevel: 'CommunitySupported',
      installDate: undefined,
    },
  ],
  userVars: [
    option('/UserVars/NutFinalDelay', 'integer', 30),
    option('/UserVars/NutUpsName', 'string', 'ups@nut'),
    option('/UserVars/NutPassword', 'string', 's3cret!'),
    option('/UserVars/SuppressShellWarning', 'integer', 1),
  ],
  acceptanceLevel: 'CommunitySupported',
  maintenanceMode: false,
  ...over,
});

describe('buildDiscoveredHost', () => {
  const at = new Date('2026-11-24T10:00:00Z');

  test('maps every reading, with null for what the host did not say', () => {
    const d = buildDiscoveredHost(readings(), at);
    assert.ok(isHostFacts(d.facts));
    assert.equal(d.esxiVersion, '8.0.3');
    assert.equal(d.esxiBuild, 'Releasebuild-24022510');
    assert.equal(d.vibVersion, '2.8.5-2.7.3');
    assert.deepEqual(d.macAddresses, ['00:25:90:1e:42:50', '00:25:90:1e:42:51']);
    assert.equal(d.facts.discoveredAt, '2026-11-24T10:00:00.000Z');
    assert.equal(d.facts.esxi.patch, null);
    assert.equal(d.facts.nics[1]?.speedMbps, null);
    assert.deepEqual(d.facts.vms, [
      {
        id: 3,
        name: 'nutsrv',
        file: '[ds1] nutsrv/nutsrv.vmx',
        guestOs: 'debian11_64Guest',
        hwVersion: 'vmx-19',
        powerState: 'poweredOn',
        tools: 'running',
      },
    ]);
    assert.deepEqual(d.facts.invalidVmIds, [9]);
    assert.deepEqual(d.facts.nutClient, {
      installed: true,
      version: '2.8.5-2.7.3',
      vendor: 'Margar',
      acceptanceLevel: 'CommunitySupported',
      installDate: null,
    });
    assert.equal(d.facts.autostart.sequence[0]?.vmId, 3);
    assert.equal(d.facts.acceptanceLevel, 'CommunitySupported');
    // Stored as JSON: nothing may be undefined.
    assert.deepEqual(JSON.parse(JSON.stringify(d.facts)), d.facts);
  });

  test('no NutClient VIB: not installed, no VIB version', () => {
    const d = buildDiscoveredHost(readings({ vibs: [] }), at);
    assert.deepEqual(d.facts.nutClient, { installed: false });
    assert.equal(d.vibVersion, null);
  });

  test('the NUT password never leaves the host, only whether it is set', () => {
    const d = buildDiscoveredHost(readings(), at);
    assert.doesNotMatch(JSON.stringify(d), /s3cret/);
    assert.deepEqual(d.facts.nutUserVars.NutPassword, { type: 'secret', set: true });
  });

  test('a VM without a power state is a bug, not a silent gap', () => {
    assert.throws(() => buildDiscoveredHost(readings({ powerStates: new Map() }), at), /VM 3/);
  });
});

describe('nutUserVars', () => {
  test('keeps Nut* options only, typed', () => {
    assert.deepEqual(nutUserVars(readings().userVars), {
      NutFinalDelay: { type: 'integer', value: 30, default: 5 },
      NutUpsName: { type: 'string', value: 'ups@nut', default: 'default' },
      NutPassword: { type: 'secret', set: true },
    });
    assert.deepEqual(nutUserVars([option('/UserVars/NutPassword', 'string', '')]), {
      NutPassword: { type: 'secret', set: false },
    });
  });
});
