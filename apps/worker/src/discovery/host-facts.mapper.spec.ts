import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { isHostFacts, knownVms, UNKNOWN_AUTOSTART_DEFAULTS } from '@nutfleet/db';
import { type AdvancedOption } from '@nutfleet/esxi';
import { observeNutUserVars } from '@nutfleet/vib';

import { type HostReadings } from './host-facts.collector';
import { buildDiscoveredHost, failedReadsSummary } from './host-facts.mapper';

const ok = <T>(value: T) => ({ ok: true as const, value });

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
  esxi: ok({
    product: 'VMware ESXi',
    version: '8.0.3',
    build: 'Releasebuild-24022510',
    buildNumber: 24022510,
    update: 3,
    patch: undefined,
  }),
  nics: ok([
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
  ]),
  vms: ok({
    inventory: {
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
  }),
  autostartDefaults: ok({
    enabled: true,
    startDelay: 120,
    stopDelay: 120,
    waitForHeartbeat: false,
    stopAction: 'powerOff',
  }),
  autostartSequence: ok([
    {
      vmId: 3,
      startOrder: 1,
      startDelay: -1,
      startAction: 'powerOn',
      stopDelay: -1,
      stopAction: 'systemDefault',
      waitForHeartbeat: 'systemDefault',
    },
  ]),
  nutClient: ok([
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
  ]),
  nutUserVars: ok([
    option('/UserVars/NutFinalDelay', 'integer', 30),
    option('/UserVars/NutUpsName', 'string', 'ups@nut'),
    option('/UserVars/NutPassword', 'string', 's3cret!'),
    option('/UserVars/SuppressShellWarning', 'integer', 1),
  ]),
  acceptanceLevel: ok('CommunitySupported'),
  maintenanceMode: ok(false),
  ...over,
});

const failed = (code: string, message: string) => ({ ok: false as const, error: { code, message } });

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
    assert.equal(d.facts.esxi?.patch, null);
    assert.equal(d.facts.nics?.[1]?.speedMbps, null);
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
    const d = buildDiscoveredHost(readings({ nutClient: ok([]) }), at);
    assert.deepEqual(d.facts.nutClient, { installed: false });
    assert.equal(d.vibVersion, null);
  });

  test('the NUT password never leaves the host, only whether it is set', () => {
    const d = buildDiscoveredHost(readings(), at);
    assert.doesNotMatch(JSON.stringify(d), /s3cret/);
    assert.deepEqual(d.facts.nutUserVars?.NutPassword, { type: 'secret', set: true });
  });

  test('every read ok: every fact marked read by this discovery, no failed read', () => {
    const d = buildDiscoveredHost(readings(), at);
    assert.deepEqual(d.failedReads, []);
    for (const status of Object.values(d.facts.reads))
      assert.deepEqual(status, { state: 'ok', at: '2026-11-24T10:00:00.000Z', by: 'discovery' });
    assert.deepEqual(knownVms(d.facts)?.length, 1);
  });

  test('a failed read records its error and keeps every other fact', () => {
    const unknown = failed(
      'VimCmdUnknownCommandError',
      'vim-cmd on h does not know "hostsvc/autostartmanager/get_defaults"',
    );
    const d = buildDiscoveredHost(readings({ autostartDefaults: unknown }), at);
    assert.deepEqual(d.facts.reads.autostartDefaults, {
      state: 'failed',
      at: '2026-11-24T10:00:00.000Z',
      error: unknown.error,
      valueReadAt: null,
    });
    assert.deepEqual(d.facts.autostart.defaults, UNKNOWN_AUTOSTART_DEFAULTS);
    assert.equal(d.facts.autostart.sequence.length, 1, 'the sequence was read');
    assert.equal(d.esxiVersion, '8.0.3');
    assert.deepEqual(d.macAddresses, ['00:25:90:1e:42:50', '00:25:90:1e:42:51']);
    assert.equal(d.facts.vms.length, 1);
    assert.deepEqual(d.failedReads, [{ read: 'autostartDefaults', error: unknown.error }]);
    assert.match(
      failedReadsSummary(d.failedReads),
      /^Discovery incomplete: 1 of 9 reads failed.*autostartDefaults: vim-cmd on h does not know.*\(VimCmdUnknownCommandError\)/,
    );
  });

  test('VMs unknown is not "no VMs"; failed reads leave their columns alone', () => {
    const d = buildDiscoveredHost(
      readings({
        vms: failed('VmListParseError', 'VM 2: no "[datastore] path.vmx  guest  vmx-NN" part'),
        esxi: failed('CommandTimeoutError', 'timed out'),
        nics: failed('EsxcliError', 'failed'),
        nutClient: failed('EsxcliError', 'failed'),
      }),
      at,
    );
    assert.equal(d.facts.reads.vms.state, 'failed');
    assert.equal(knownVms(d.facts), undefined);
    assert.deepEqual(d.facts.vms, []);
    assert.equal(d.facts.esxi, null);
    assert.equal(d.facts.nics, null);
    assert.equal(d.facts.nutClient, null);
    assert.deepEqual(
      { esxi: d.esxiVersion, build: d.esxiBuild, vib: d.vibVersion, macs: d.macAddresses },
      { esxi: undefined, build: undefined, vib: undefined, macs: undefined },
    );
    assert.deepEqual(JSON.parse(JSON.stringify(d.facts)), d.facts, 'plain JSON');
  });

  test('a VM without a power state is a bug, not a silent gap', () => {
    const { vms } = readings();
    assert.ok(vms.ok);
    const withoutStates = ok({ ...vms.value, powerStates: new Map() });
    assert.throws(() => buildDiscoveredHost(readings({ vms: withoutStates }), at), /VM 3/);
  });
});

describe('observeNutUserVars', () => {
  test('keeps Nut* options only, typed', () => {
    const r = readings();
    assert.ok(r.nutUserVars.ok);
    assert.deepEqual(observeNutUserVars(r.nutUserVars.value), {
      NutFinalDelay: { type: 'integer', value: 30, default: 5 },
      NutUpsName: { type: 'string', value: 'ups@nut', default: 'default' },
      NutPassword: { type: 'secret', set: true },
    });
    assert.deepEqual(observeNutUserVars([option('/UserVars/NutPassword', 'string', '')]), {
      NutPassword: { type: 'secret', set: false },
    });
  });
});
