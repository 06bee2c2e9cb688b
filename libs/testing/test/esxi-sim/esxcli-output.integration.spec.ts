import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEsxiFleet, type EsxiFleet } from '../../src/esxi-sim';
import { closeConnections, runOn } from './ssh-test.client';

describe('esxi-sim esxcli output shapes', () => {
  let fleet: EsxiFleet;
  before(async () => {
    fleet = await startEsxiFleet({
      hosts: [
        {
          version: '8.0',
          installedVibs: [{ name: 'upsmon', version: '2.8.5-2.7.3', vendor: 'Margar', acceptanceLevel: 'community' }],
        },
        { version: '7.0' },
        { version: '6.7' },
      ],
    });
  });
  after(async () => {
    await closeConnections();
    await fleet.stop();
  });

  it('prints system version get per ESXi line', async () => {
    const r8 = await runOn(fleet.host(0), 'esxcli system version get');
    assert.equal(
      r8.stdout,
      '   Product: VMware ESXi\n   Version: 8.0.3\n   Build: Releasebuild-24022510\n   Update: 3\n   Patch: 24\n',
    );
    const r67 = await runOn(fleet.host(2), 'esxcli system version get');
    assert.match(r67.stdout, /^ {3}Version: 6\.7\.0$/m);
    assert.equal((await runOn(fleet.host(1), 'vmware -v')).stdout, 'VMware ESXi 7.0.3 build-21930508\n');
  });

  it('renders machine formats for version get', async () => {
    const kv = await runOn(fleet.host(0), 'esxcli --formatter=keyvalue system version get');
    assert.match(kv.stdout, /^VersionGet\.Version\.string=8\.0\.3$/m);
    const xml = await runOn(fleet.host(0), 'esxcli --formatter=xml system version get');
    assert.match(xml.stdout, /<output xmlns="http:\/\/www\.vmware\.com\/Products\/ESX\/5\.0\/esxcli">/);
    assert.match(xml.stdout, /<field name="Build">\s*<string>Releasebuild-24022510<\/string>/);
    const json = JSON.parse(
      (await runOn(fleet.host(0), 'esxcli --formatter=json system version get')).stdout,
    ) as Record<string, string>;
    assert.equal(json['Product'], 'VMware ESXi');
  });

  it('lists VIBs as a table and in csv/keyvalue', async () => {
    const table = (await runOn(fleet.host(0), 'esxcli software vib list')).stdout.split('\n');
    assert.match(table[0] ?? '', /^Name\s+Version\s+Vendor\s+Acceptance Level\s+Install Date/);
    assert.match(table[1] ?? '', /^-+ {2}-+/);
    assert.match(table[2] ?? '', /^upsmon\s+2\.8\.5-2\.7\.3\s+Margar\s+CommunitySupported\s+\d{4}-\d\d-\d\d/);
    const csv = (await runOn(fleet.host(0), 'esxcli --formatter=csv software vib list')).stdout.split('\n');
    assert.equal(csv[0], 'AcceptanceLevel,InstallDate,Name,Platforms,Vendor,Version,');
    assert.match(csv[1] ?? '', /^CommunitySupported,\d{4}-\d\d-\d\d,upsmon,host,Margar,2\.8\.5-2\.7\.3,$/);
    const kv = (await runOn(fleet.host(0), 'esxcli --formatter=keyvalue software vib list')).stdout;
    assert.match(kv, /^VIBSummary\.Name\.string=upsmon$/m);
    assert.equal((await runOn(fleet.host(1), 'esxcli software vib list')).stdout, '');
  });

  it('prints vib get with the VIB ID first and NoMatchError when missing', async () => {
    const r = await runOn(fleet.host(0), 'esxcli software vib get -n upsmon');
    assert.match(r.stdout, /^Margar_bootbank_upsmon_2\.8\.5-2\.7\.3\n {3}Name: upsmon\n/);
    assert.match(r.stdout, /^ {3}Live Install Allowed: True$/m);
    const missing = await runOn(fleet.host(1), 'esxcli software vib get --vibname=upsmon');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^\[NoMatchError\] No VIB matching VIB search specification 'upsmon'\./);
  });

  it('prints nic list with the MAC column', async () => {
    const host = fleet.host(1);
    const lines = (await runOn(host, 'esxcli network nic list')).stdout.split('\n');
    assert.match(
      lines[0] ?? '',
      /^Name\s+PCI Device\s+Driver\s+Admin Status\s+Link Status\s+Speed\s+Duplex\s+MAC Address\s+MTU\s+Description$/,
    );
    assert.ok(lines[2]?.includes(host.mac));
    const xml = (await runOn(host, 'esxcli --formatter=xml network nic list')).stdout;
    assert.match(xml, /<list type="structure">/);
    assert.ok(xml.includes(`<string>${host.mac}</string>`));
  });

  it('prints advanced options with version-specific extra lines', async () => {
    const r7 = (await runOn(fleet.host(1), 'esxcli system settings advanced list -o /UserVars/SuppressShellWarning'))
      .stdout;
    assert.match(
      r7,
      /^ {3}Path: \/UserVars\/SuppressShellWarning\n {3}Type: integer\n {3}Int Value: 0\n {3}Default Int Value: 0\n {3}Min Value: 0\n {3}Max Value: 1\n {3}String Value:\n/,
    );
    assert.match(r7, /^ {3}Host Specific: false$/m);
    const r67 = (await runOn(fleet.host(2), 'esxcli system settings advanced list -o /UserVars/SuppressShellWarning'))
      .stdout;
    assert.doesNotMatch(r67, /Host Specific/);
    const kv = (
      await runOn(
        fleet.host(0),
        'esxcli --formatter=keyvalue system settings advanced list -o /UserVars/SuppressShellWarning',
      )
    ).stdout;
    assert.match(kv, /^SettingsAdvancedOption\.IntValue\.integer=0$/m);
    const missing = await runOn(fleet.host(1), 'esxcli system settings advanced list -o /UserVars/NutX');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Unable to find option NutX/);
    const tree = (await runOn(fleet.host(1), 'esxcli system settings advanced list -t /UserVars')).stdout;
    assert.doesNotMatch(tree, /\/Misc\//);
  });

  it('prints maintenance mode and acceptance level as a bare word', async () => {
    assert.equal((await runOn(fleet.host(1), 'esxcli system maintenanceMode get')).stdout, 'Disabled\n');
    assert.equal(
      (await runOn(fleet.host(1), 'esxcli --formatter=keyvalue system maintenanceMode get')).stdout,
      'string=Disabled\n',
    );
    assert.equal((await runOn(fleet.host(1), 'esxcli software acceptance get')).stdout, 'PartnerSupported\n');
  });

  it('answers unknown commands and namespaces like ESXi', async () => {
    const unknown = await runOn(fleet.host(0), 'esxcli software vib frobnicate');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^Error: Unknown command or namespace software vib frobnicate/);
    const notFound = await runOn(fleet.host(0), 'frobnicate --now');
    assert.deepEqual(notFound, { stdout: '', stderr: 'sh: frobnicate: not found\n', code: 127 });
    const missing = await runOn(fleet.host(0), 'esxcli system settings advanced set -i 3');
    assert.match(missing.stderr, /^Error: Missing required parameter -o\|--option/);
  });
});
