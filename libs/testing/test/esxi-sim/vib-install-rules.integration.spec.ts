import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  buildOfflineBundleFixture,
  buildVibFixture,
  startEsxiFleet,
  type EsxiFleet,
  type SimulatedHost,
} from '../../src/esxi-sim';
import { closeConnections, runOn, TestSsh } from './ssh-test.client';

async function upload(host: SimulatedHost, path: string, data: Buffer): Promise<void> {
  const ssh = await TestSsh.connect(host);
  await ssh.upload(path, data);
  ssh.end();
}

describe('esxi-sim VIB install rules', () => {
  let fleet: EsxiFleet;
  const v273 = buildVibFixture();
  const v262 = buildVibFixture({ version: '2.8.2-2.6.2' });
  const v231 = buildVibFixture({ version: '2.8.0-2.3.1', withoutGunzipChecksum: true });

  before(async () => {
    fleet = await startEsxiFleet({
      hosts: [
        { version: '8.0', acceptanceLevel: 'CommunitySupported' },
        { version: '8.0', secureBoot: true },
        { version: '7.0', acceptanceLevel: 'CommunitySupported' },
        { version: '6.7', acceptanceLevel: 'CommunitySupported' },
        { version: '8.0' },
      ],
    });
    for (const h of fleet.hosts) {
      for (const v of [v273, v262, v231]) await upload(h, `/tmp/${v.fileName}`, v.bytes);
    }
  });
  after(async () => {
    await closeConnections();
    await fleet.stop();
  });

  it('refuses a community VIB on a PartnerSupported host, then installs after acceptance set', async () => {
    const host = fleet.host(4);
    const refused = await runOn(host, `esxcli software vib install -v /tmp/${v273.fileName}`);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^\[AcceptanceConfigError\] VIB Margar_bootbank_upsmon_2\.8\.5-2\.7\.3's acceptance level is community, which is not compliant with the ImageProfile acceptance level partner/,
    );
    assert.equal(
      (await runOn(host, 'esxcli software acceptance set --level=CommunitySupported')).stdout,
      "Host acceptance level changed to 'CommunitySupported'.\n",
    );
    const ok = await runOn(host, `esxcli software vib install -v /tmp/${v273.fileName}`);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(
      ok.stdout,
      'Installation Result\n   Message: Operation finished successfully.\n   VIBs Installed: Margar_bootbank_upsmon_2.8.5-2.7.3\n   VIBs Removed:\n   VIBs Skipped:\n   Reboot Required: false\n   DPU Results:\n',
    );
    const raise = await runOn(host, 'esxcli software acceptance set --level=PartnerSupported');
    assert.match(
      raise.stderr,
      /Unable to set acceptance level of PartnerSupported due to installed VIBs Margar_bootbank_upsmon_2\.8\.5-2\.7\.3 having a lower acceptance level/,
    );
  });

  it('refuses lowering the acceptance level under Secure Boot', async () => {
    const r = await runOn(fleet.host(1), 'esxcli software acceptance set --level=CommunitySupported');
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^\[AcceptanceConfigError\] Secure Boot enabled: Cannot change acceptance level to community\./,
    );
    assert.equal(fleet.host(1).state.acceptanceLevel, 'PartnerSupported');
  });

  it('rejects a payload without sha-256 gunzip checksum on ESXi 8 only', async () => {
    const r8 = await runOn(fleet.host(0), `esxcli software vib install -v /tmp/${v231.fileName}`);
    assert.equal(r8.code, 1);
    assert.match(r8.stderr, /payload\(s\) upsmon does not have sha-256 gunzip checksum/);
    const r7 = await runOn(fleet.host(2), `esxcli software vib install --no-sig-check -v /tmp/${v231.fileName}`);
    assert.equal(r7.code, 0, r7.stderr);
    assert.match(
      r7.stdout,
      /^Installation Result\n {3}Message: Operation finished successfully\.\n {3}Reboot Required: false\n {3}VIBs Installed: Margar_bootbank_upsmon_2\.8\.0-2\.3\.1\n/,
    );
    // 2.3.1 predates NutSmtpRelay and the 0–2 range of NutSendMail.
    assert.equal(fleet.host(2).state.settings.find('/UserVars/NutSmtpRelay'), undefined);
    assert.equal(fleet.host(2).state.settings.find('/UserVars/NutSendMail')?.max, 1);
  });

  it('skips installing the same version, upgrades with update, never downgrades with update', async () => {
    const host = fleet.host(0);
    assert.equal((await runOn(host, `esxcli software vib install -v /tmp/${v262.fileName}`)).code, 0);
    const same = await runOn(host, `esxcli software vib install -v /tmp/${v262.fileName}`);
    assert.match(
      same.stdout,
      /Message: Host is not changed\.\n {3}VIBs Installed:\n {3}VIBs Removed:\n {3}VIBs Skipped: Margar_bootbank_upsmon_2\.8\.2-2\.6\.2\n/,
    );
    assert.equal(
      (await runOn(host, 'esxcli system settings advanced set -o /UserVars/NutUpsName -s ups@10.0.0.5')).code,
      0,
    );
    const up = await runOn(host, `esxcli software vib update -v /tmp/${v273.fileName}`);
    assert.match(
      up.stdout,
      /VIBs Installed: Margar_bootbank_upsmon_2\.8\.5-2\.7\.3\n {3}VIBs Removed: Margar_bootbank_upsmon_2\.8\.2-2\.6\.2\n/,
    );
    assert.equal(host.state.settings.get('/UserVars/NutUpsName'), 'ups@10.0.0.5', 'upgrade keeps UserVars values');
    const down = await runOn(host, `esxcli software vib update -v /tmp/${v262.fileName}`);
    assert.match(down.stdout, /Host is not changed[\s\S]*VIBs Skipped: Margar_bootbank_upsmon_2\.8\.2-2\.6\.2/);
    const downgrade = await runOn(host, `esxcli software vib install -v /tmp/${v262.fileName}`);
    assert.match(downgrade.stdout, /VIBs Installed: Margar_bootbank_upsmon_2\.8\.2-2\.6\.2/);
  });

  it('update does not install a VIB that is not there', async () => {
    const r = await runOn(fleet.host(3), `esxcli software vib update -v /tmp/${v273.fileName}`);
    assert.match(r.stdout, /Host is not changed/);
    assert.equal(fleet.host(3).state.vibs.size, 0);
  });

  it('creates the UserVars with the types, ranges and defaults NutClient declares, and removes them', async () => {
    const host = fleet.host(3);
    assert.equal((await runOn(host, `esxcli software vib install -v /tmp/${v273.fileName}`)).code, 0);
    const expect: Array<[string, string | number, number?, number?]> = [
      ['NutUpsName', 'upsname@nutserver'],
      ['NutUser', 'upsuser'],
      ['NutPassword', 'upspassword'],
      ['NutMailTo', 'root@domain'],
      ['NutSmtpRelay', 'none'],
      ['NutFinalDelay', 5, 0, 3600],
      ['NutSendMail', 0, 0, 2],
      ['NutMinSupplies', 1, 1, 10],
      ['NutOnBatteryDelay', 0, 0, 86400],
    ];
    for (const [name, def, min, max] of expect) {
      const d = host.state.settings.find(`/UserVars/${name}`);
      assert.ok(d, name);
      assert.equal(d.type, typeof def === 'number' ? 'integer' : 'string', name);
      assert.equal(typeof def === 'number' ? d.defaultInt : d.defaultString, def, name);
      if (min !== undefined) assert.deepEqual([d.min, d.max], [min, max], name);
    }
    const outOfRange = await runOn(host, 'esxcli system settings advanced set -o /UserVars/NutFinalDelay -i 3601');
    assert.equal(outOfRange.code, 1);
    assert.match(outOfRange.stderr, /out of range/);
    assert.equal((await runOn(host, 'esxcli system settings advanced set -o /UserVars/NutMinSupplies -i 0')).code, 1);
    const wrongType = await runOn(host, 'esxcli system settings advanced set -o /UserVars/NutFinalDelay -s ten');
    assert.equal(wrongType.code, 1);
    const notInt = await runOn(host, 'esxcli system settings advanced set -o /UserVars/NutFinalDelay -i ten');
    assert.match(notInt.stderr, /Expected type long\. Got value 'ten'/);
    assert.equal((await runOn(host, 'esxcli system settings advanced set -o /UserVars/NutFinalDelay -i 3600')).code, 0);
    assert.equal((await runOn(host, 'esxcfg-advcfg -q -g /UserVars/NutFinalDelay')).stdout, '3600\n');
    assert.equal((await runOn(host, 'esxcli system settings advanced set -o /UserVars/NutFinalDelay -d')).code, 0);
    assert.equal(host.state.settings.get('/UserVars/NutFinalDelay'), 5);

    const removed = await runOn(host, 'esxcli software vib remove -n upsmon');
    assert.equal(
      removed.stdout,
      'Removal Result\n   Message: Operation finished successfully.\n   Reboot Required: false\n   VIBs Installed:\n   VIBs Removed: Margar_bootbank_upsmon_2.8.5-2.7.3\n   VIBs Skipped:\n',
    );
    assert.equal(host.state.settings.find('/UserVars/NutFinalDelay'), undefined);
    const again = await runOn(host, 'esxcli software vib remove -n upsmon');
    assert.match(again.stderr, /^\[NoMatchError\] No VIB matching VIB search specification 'upsmon'\./);
  });

  it('installs from an offline bundle and reports missing files and relative paths', async () => {
    const host = fleet.host(2);
    await upload(host, '/tmp/bundle.zip', buildOfflineBundleFixture([v273]));
    const r = await runOn(host, 'esxcli software vib install -d /tmp/bundle.zip');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /VIBs Installed: Margar_bootbank_upsmon_2\.8\.5-2\.7\.3/);
    assert.match(
      (await runOn(host, 'esxcli software vib install -v /tmp/none.vib')).stderr,
      /^\[VibDownloadError\].*No such file or directory/,
    );
    assert.match(
      (await runOn(host, 'esxcli software vib install -d /tmp/none.zip')).stderr,
      /^\[MetadataDownloadError\]/,
    );
    assert.match((await runOn(host, 'esxcli software vib install -v upsmon.vib')).stderr, /unknown url type/);
    await upload(host, '/tmp/junk.vib', Buffer.from('not an archive'));
    assert.match((await runOn(host, 'esxcli software vib install -v /tmp/junk.vib')).stderr, /^\[VibFormatError\]/);
  });

  it('rejects a payload whose checksum does not match', async () => {
    const bad = buildVibFixture({ corruptPayloadChecksum: true, version: '2.8.6-2.7.4' });
    await upload(fleet.host(2), '/tmp/bad.vib', bad.bytes);
    const r = await runOn(fleet.host(2), 'esxcli software vib install -v /tmp/bad.vib');
    assert.match(r.stderr, /^\[VibValidationError\].*checksum mismatch/);
  });

  it('runs the NutClient service with the UserVars read at start', async () => {
    const host = fleet.host(2);
    assert.equal((await runOn(host, '/etc/init.d/upsmon start')).stdout, 'NUT client started\n');
    await runOn(host, 'esxcli system settings advanced set -o /UserVars/NutUser -s monuser');
    assert.equal(host.state.upsmon.current?.config['NutUser'], 'upsuser', 'values are read only at start');
    assert.equal((await runOn(host, '/etc/init.d/upsmon restart')).stdout, 'NUT client stopped\nNUT client started\n');
    assert.equal(host.state.upsmon.current?.config['NutUser'], 'monuser');
    assert.equal((await runOn(host, '/etc/init.d/upsmon status')).code, 0);
    assert.equal((await runOn(host, '/etc/init.d/upsmon stop')).stdout, 'NUT client stopped\n');
    assert.deepEqual(await runOn(host, '/etc/init.d/upsmon status'), {
      stdout: 'NUT client is not running\n',
      stderr: '',
      code: 3,
    });
    assert.equal((await runOn(host, '/etc/init.d/upsmon bogus')).code, 1);
    assert.equal((await runOn(fleet.host(1), '/etc/init.d/upsmon status')).code, 127, 'no VIB, no init script');
  });

  it('uploads over SFTP, checksums and removes files', async () => {
    const host = fleet.host(0);
    assert.equal(
      (await runOn(host, `sha256sum /tmp/${v273.fileName}`)).stdout,
      `${v273.sha256}  /tmp/${v273.fileName}\n`,
    );
    assert.equal((await runOn(host, `rm -f /tmp/${v273.fileName}`)).code, 0);
    assert.equal((await runOn(host, `sha256sum /tmp/${v273.fileName}`)).code, 1);
    assert.equal(
      (await runOn(host, '/bin/rm /tmp/nothing')).stderr,
      "rm: can't remove '/tmp/nothing': No such file or directory\n",
    );
    await upload(host, '/vmfs/volumes/datastore1/x.vib', v273.bytes);
    assert.ok(host.files.file('/vmfs/volumes/datastore1/x.vib'));
  });
});
