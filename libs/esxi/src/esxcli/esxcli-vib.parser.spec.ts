import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutputParseError } from '../parsing/output-parse-error';
import { parseVibGet } from './esxcli-vib-get.parser';
import { parseVibList } from './esxcli-vib-list.parser';
import { parseVibOperationResult } from './esxcli-vib-result.parser';

describe('parseVibList', () => {
  const upsmon = {
    name: 'upsmon',
    version: '2.8.5-2.7.3',
    vendor: 'Margar',
    acceptanceLevel: 'CommunitySupported',
    installDate: '2026-05-21',
  };

  it('reads the default table (ESXi 6.7/7.0 shape)', () => {
    const text = [
      'Name                           Version                               Vendor  Acceptance Level    Install Date',
      '-----------------------------  ------------------------------------  ------  ------------------  ------------',
      'upsmon                         2.8.5-2.7.3                           Margar  CommunitySupported  2026-05-21',
      'esx-base                       6.7.0-3.139.18828794                  VMware  VMwareCertified     2021-11-02',
      'lsu-smartpqi-plugin            1.0.0-3vmw.670.3.139.18828794         VMware  VMwareCertified',
    ].join('\n');
    const vibs = parseVibList(text);
    assert.deepEqual(vibs[0], upsmon);
    assert.equal(vibs[1]?.version, '6.7.0-3.139.18828794');
    assert.equal(vibs[2]?.installDate, undefined);
    assert.equal(vibs[2]?.acceptanceLevel, 'VMwareCertified');
  });

  it('reads an 8.0 table with extra columns in any order', () => {
    const text = [
      'Name    Version      Vendor  Acceptance Level    Install Date  Platforms',
      '------  -----------  ------  ------------------  ------------  ---------',
      'upsmon  2.8.5-2.7.3  Margar  CommunitySupported  2026-05-21    host',
    ].join('\n');
    assert.deepEqual(parseVibList(text), [upsmon]);
  });

  it('reads --formatter=csv output (field names, trailing comma, quoted cells)', () => {
    const text = [
      'AcceptanceLevel,CreationDate,ID,InstallDate,Name,Platforms,Status,Vendor,Version,',
      'CommunitySupported,2026-05-20,Margar_bootbank_upsmon_2.8.5-2.7.3,2026-05-21,upsmon,host,,Margar,2.8.5-2.7.3,',
      'PartnerSupported,2024-01-01,X_bootbank_odd_1.0,2024-02-02,odd,"host,embeddedEsx",,"Vendor ""Q""",1.0,',
    ].join('\r\n');
    const vibs = parseVibList(text);
    assert.deepEqual(vibs[0], upsmon);
    assert.equal(vibs[1]?.vendor, 'Vendor "Q"');
  });

  it('returns an empty list for a header-only table', () => {
    assert.deepEqual(
      parseVibList(
        'Name  Version  Vendor  Acceptance Level  Install Date\n----  -------  ------  ----------------  ------------\n',
      ),
      [],
    );
    assert.deepEqual(parseVibList('AcceptanceLevel,Name,Vendor,Version,\n'), []);
  });
});

describe('parseVibGet', () => {
  it('reads the VIB ID line and the fields', () => {
    const text = `Margar_bootbank_upsmon_2.8.5-2.7.3
   Name: upsmon
   Version: 2.8.5-2.7.3
   Type: bootbank
   Vendor: Margar
   Acceptance Level: CommunitySupported
   Summary: Network UPS Tools client
   Description: Network UPS Tools client for VMware ESXi
   ReferenceURLs: kb|http://rene.margar.fr/2012/05/client-nut-pour-esxi-5-0/
   Creation Date: 2026-05-20
   Depends:
   Conflicts:
   Replaces:
   Provides:
   Maintenance Mode Required: False
   Hardware Platforms Required:
   Live Install Allowed: True
   Live Remove Allowed: True
   Stateless Ready: True
   Overlay: False
   Tags: service
   Payloads: upsmon
`;
    const vib = parseVibGet(text);
    assert.equal(vib.id, 'Margar_bootbank_upsmon_2.8.5-2.7.3');
    assert.equal(vib.acceptanceLevel, 'CommunitySupported');
    assert.equal(vib.maintenanceModeRequired, false);
    assert.equal(vib.liveInstallAllowed, true);
    assert.deepEqual(vib.tags, ['service']);
    assert.deepEqual(vib.payloads, ['upsmon']);
  });

  it('rejects a record without the VIB ID', () => {
    assert.throws(
      () => parseVibGet('   Name: upsmon\n   Version: 1\n   Vendor: M\n   Acceptance Level: CommunitySupported\n'),
      OutputParseError,
    );
  });
});

describe('parseVibOperationResult', () => {
  it('reads an install result (7.0 shape)', () => {
    const text = `Installation Result
   Message: Operation finished successfully.
   Reboot Required: false
   VIBs Installed: Margar_bootbank_upsmon_2.8.5-2.7.3
   VIBs Removed:
   VIBs Skipped:
`;
    assert.deepEqual(parseVibOperationResult(text), {
      message: 'Operation finished successfully.',
      rebootRequired: false,
      vibsInstalled: ['Margar_bootbank_upsmon_2.8.5-2.7.3'],
      vibsRemoved: [],
      vibsSkipped: [],
    });
  });

  it('reads an 8.0 update result with DPU Results and several VIBs', () => {
    const text = `Installation Result
   Message: The update completed successfully, but the system needs to be rebooted for the changes to be effective.
   VIBs Installed: Margar_bootbank_upsmon_2.8.5-2.7.3, Other_bootbank_x_1.0
   VIBs Removed: Margar_bootbank_upsmon_2.8.2-2.6.2
   VIBs Skipped: VMware_bootbank_esx-base_8.0.3-0.0.24022510
   Reboot Required: true
   DPU Results:
`;
    const result = parseVibOperationResult(text);
    assert.equal(result.rebootRequired, true);
    assert.deepEqual(result.vibsInstalled, ['Margar_bootbank_upsmon_2.8.5-2.7.3', 'Other_bootbank_x_1.0']);
    assert.deepEqual(result.vibsRemoved, ['Margar_bootbank_upsmon_2.8.2-2.6.2']);
    assert.equal(result.vibsSkipped.length, 1);
  });

  it('reads a removal result and rejects error text', () => {
    const removal = `Removal Result
   Message: Operation finished successfully.
   VIBs Installed:
   VIBs Removed: Margar_bootbank_upsmon_2.8.5-2.7.3
   VIBs Skipped:
   Reboot Required: false
`;
    assert.deepEqual(parseVibOperationResult(removal).vibsRemoved, ['Margar_bootbank_upsmon_2.8.5-2.7.3']);
    assert.throws(
      () => parseVibOperationResult("[NoMatchError]\n No VIB matching VIB search specification 'upsmon'.\n"),
      OutputParseError,
    );
  });
});
