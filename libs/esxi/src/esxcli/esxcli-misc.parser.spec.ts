import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutputParseError } from '../parsing/output-parse-error';
import { parseAcceptanceLevel } from './esxcli-acceptance.parser';
import { parseAdvancedOptions } from './esxcli-advanced-settings.parser';
import { parseEsxcliError } from './esxcli-error.parser';
import { parseMaintenanceMode } from './esxcli-maintenance-mode.parser';
import { parseNicList } from './esxcli-nic-list.parser';

describe('parseAcceptanceLevel / parseMaintenanceMode', () => {
  it('reads single words, whatever the case', () => {
    assert.equal(parseAcceptanceLevel('PartnerSupported\n'), 'PartnerSupported');
    assert.equal(parseAcceptanceLevel('communitysupported'), 'CommunitySupported');
    assert.throws(() => parseAcceptanceLevel('Whatever\n'), OutputParseError);
    assert.equal(parseMaintenanceMode('Enabled\n'), true);
    assert.equal(parseMaintenanceMode('Disabled'), false);
    assert.throws(() => parseMaintenanceMode(''), OutputParseError);
  });
});

describe('parseAdvancedOptions', () => {
  it('reads an integer UserVar (6.7 shape)', () => {
    const text = `   Path: /UserVars/NutFinalDelay
   Type: integer
   Int Value: 5
   Default Int Value: 5
   Min Value: 0
   Max Value: 3600
   String Value:
   Default String Value:
   Valid Characters:
   Description: NUT seconds to wait after low battery event before shutting down
`;
    assert.deepEqual(parseAdvancedOptions(text), [
      {
        path: '/UserVars/NutFinalDelay',
        type: 'integer',
        intValue: 5,
        defaultIntValue: 5,
        minValue: 0,
        maxValue: 3600,
        stringValue: undefined,
        defaultStringValue: undefined,
        description: 'NUT seconds to wait after low battery event before shutting down',
      },
    ]);
  });

  it('reads string options with 7.0+ extra lines, empty values and colons in values', () => {
    const text = `   Path: /UserVars/NutUpsName
   Type: string
   Int Value: 0
   Default Int Value: 0
   Min Value: 0
   Max Value: 0
   String Value: ups@192.168.1.5:3493 ups2@nas
   Default String Value: upsname@nutserver
   Valid Characters: *
   Description: NUT remote ups name
   Host Specific: false
   Impact: none

   Path: /UserVars/NutSmtpRelay
   Type: string
   Int Value: 0
   Default Int Value: 0
   Min Value: 0
   Max Value: 0
   String Value:
   Default String Value: none
   Valid Characters: *
   Description: NUT SMTP relay
`;
    const [ups, relay] = parseAdvancedOptions(text);
    assert.equal(ups?.stringValue, 'ups@192.168.1.5:3493 ups2@nas');
    assert.equal(ups?.intValue, undefined);
    assert.equal(relay?.stringValue, '');
    assert.equal(relay?.defaultStringValue, 'none');
  });
});

describe('parseNicList', () => {
  const vmnic0 = {
    name: 'vmnic0',
    pciDevice: '0000:05:00.0',
    driver: 'igbn',
    adminStatus: 'Up',
    linkStatus: 'Up',
    speedMbps: 1000,
    duplex: 'Full',
    macAddress: '00:25:90:1e:42:50',
    mtu: 1500,
    description: 'Intel Corporation I350 Gigabit Network Connection',
  };

  it('reads the default table, with a right-aligned speed and a link-down NIC', () => {
    const text = [
      'Name    PCI Device    Driver  Admin Status  Link Status  Speed  Duplex  MAC Address         MTU  Description',
      '------  ------------  ------  ------------  -----------  -----  ------  -----------------  ----  -----------',
      'vmnic0  0000:05:00.0  igbn    Up            Up            1000  Full    00:25:90:1e:42:50  1500  Intel Corporation I350 Gigabit Network Connection',
      'vmnic1  0000:05:00.1  igbn    Up            Down             0  Half    00:25:90:1E:42:51  1500  Intel Corporation I350 Gigabit Network Connection',
    ].join('\n');
    const nics = parseNicList(text);
    assert.deepEqual(nics[0], vmnic0);
    assert.equal(nics[1]?.linkStatus, 'Down');
    assert.equal(nics[1]?.macAddress, '00:25:90:1e:42:51');
  });

  it('reads --formatter=csv output with extra fields', () => {
    const text = [
      'AdminStatus,Description,Driver,Duplex,LinkStatus,MACAddress,MTU,Name,PCIDevice,Speed,',
      'Up,Intel Corporation I350 Gigabit Network Connection,igbn,Full,Up,00:25:90:1e:42:50,1500,vmnic0,0000:05:00.0,1000,',
    ].join('\n');
    assert.deepEqual(parseNicList(text), [vmnic0]);
  });

  it('rejects a row without a valid MAC', () => {
    assert.throws(() => parseNicList('Name,MACAddress,\nvmnic0,nonsense,\n'), OutputParseError);
  });
});

describe('parseEsxcliError', () => {
  const cases: Array<[string, string, string | undefined]> = [
    [
      "[NoMatchError]\n No VIB matching VIB search specification 'upsmon'.\n Please refer to the log file for more details.",
      'vibNotFound',
      'NoMatchError',
    ],
    [
      "[AcceptanceConfigError]\n VIB Margar_bootbank_upsmon_2.8.5-2.7.3's acceptance level is community, which is not compliant with the ImageProfile acceptance level partner\n To change the host acceptance level, use the 'esxcli software acceptance set' command.",
      'acceptanceLevel',
      'AcceptanceConfigError',
    ],
    [
      '[AcceptanceConfigError]\n Secure Boot enabled: Cannot change acceptance level to community.',
      'secureBoot',
      'AcceptanceConfigError',
    ],
    [
      'Unable to set acceptance level of community due to installed VIBs Margar_bootbank_upsmon having a lower acceptance level.',
      'acceptanceLevel',
      undefined,
    ],
    [
      '[InstallationError]\n Payload(s) upsmon of VIB Margar_bootbank_upsmon_2.3.1 does not have sha-256 gunzip checksum.',
      'missingPayloadChecksum',
      'InstallationError',
    ],
    [
      '[DependencyError]\n VIB Foo_bootbank_bar_1.0 requires esx-version >= 8.0.0, but the requirement cannot be satisfied.',
      'dependency',
      'DependencyError',
    ],
    ['Unable to find option NutNope', 'optionNotFound', undefined],
    ['Error: host is not in maintenance mode.', 'maintenanceModeRequired', undefined],
    ['Error: Unknown command or namespace software vib frobnicate', 'unknownCommand', undefined],
    ['Error: something else went wrong', 'other', undefined],
  ];
  for (const [text, kind, errorType] of cases) {
    it(`classifies ${kind}: ${text.slice(0, 40).replace(/\n/g, ' ')}`, () => {
      const info = parseEsxcliError(text);
      assert.equal(info.kind, kind);
      assert.equal(info.errorType, errorType);
      assert.ok(!info.message.includes('\n'));
    });
  }
});
