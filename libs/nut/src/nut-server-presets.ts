import { NUT_DEFAULT_PORT } from './nut-options';

/**
 * Where administrators usually run upsd, with the connection values each vendor documents (or
 * hard-codes): the dashboard's "add a NUT server" form starts from one of these. A value the
 * vendor does not fix is null (the administrator chooses it there), and `whereToCheck` says on
 * which screen or file the real value is read, since firmware updates have changed them before.
 */
export interface NutServerPreset {
  readonly id: NutServerPresetId;
  readonly label: string;
  /** upsd's TCP port. */
  readonly port: number;
  /** The UPS name on that server (ups.conf section); null when the administrator names it. */
  readonly upsName: string | null;
  /** The upsd.users account a remote monitor logs in with; null when none is created for you. */
  readonly username: string | null;
  /**
   * The password when the vendor hard-codes it (so it is no secret, and cannot be changed from
   * its UI); null when the administrator sets it. Stored write-only like any other.
   */
  readonly knownPassword: string | null;
  /** Where, on that product, to read or set the values above. */
  readonly whereToCheck: string;
  /** Public documentation the values come from. */
  readonly reference: string;
}

export const NUT_SERVER_PRESET_IDS = [
  'synology-dsm',
  'qnap-qts',
  'pfsense',
  'truenas',
  'unraid',
  'home-assistant',
  'debian-upsd',
] as const;
export type NutServerPresetId = (typeof NUT_SERVER_PRESET_IDS)[number];

export const NUT_SERVER_PRESETS: readonly NutServerPreset[] = [
  {
    id: 'synology-dsm',
    label: 'Synology DSM (network UPS server)',
    port: NUT_DEFAULT_PORT,
    upsName: 'ups',
    username: 'monuser',
    knownPassword: 'secret',
    whereToCheck:
      'DSM: Control Panel > Hardware & Power > UPS: tick "Enable network UPS server", then add the ' +
      'nutfleet machine\'s IP under "Permitted DiskStation Devices". DSM fixes the UPS name and the account ' +
      '(ups, monuser/secret); they are not shown in its UI.',
    reference:
      'https://razeencheng.com/posts/en/ups-multi-device-protection-with-nut (MONITOR ups@<nas> 1 monuser secret)',
  },
  {
    id: 'qnap-qts',
    label: 'QNAP QTS (network UPS master)',
    port: NUT_DEFAULT_PORT,
    upsName: 'qnapups',
    username: 'admin',
    knownPassword: '123456',
    whereToCheck:
      'QTS: Control Panel > System > External Device > UPS: enable "Network UPS master" and add the nutfleet ' +
      "machine's IP to the allowed clients. QTS hard-codes the UPS name and the account (qnapups, admin/123456).",
    reference:
      'https://printempw.github.io/zspace-qnap-nas-shared-nut-ups (QTS as network UPS slave: admin/123456, qnapups, 3493)',
  },
  {
    id: 'pfsense',
    label: 'pfSense (NUT package)',
    port: NUT_DEFAULT_PORT,
    upsName: null,
    username: null,
    knownPassword: null,
    whereToCheck:
      'pfSense: Services > UPS > Settings: the UPS name is "UPS Name"; the package only creates local accounts, so ' +
      'add one for nutfleet under "Additional configuration lines for upsd.users" (e.g. [monuser] password=… ' +
      'upsmon secondary) and let upsd listen on the LAN ("LISTEN" in upsd.conf lines) with a firewall rule for 3493.',
    reference:
      'https://psychogun.github.io/docs/pfsense/Network-UPS-Tools/ (the package creates admin and local-monitor only)',
  },
  {
    id: 'truenas',
    label: 'TrueNAS (UPS service)',
    port: NUT_DEFAULT_PORT,
    upsName: 'ups',
    username: 'upsmon',
    knownPassword: null,
    whereToCheck:
      'TrueNAS: System Settings > Services > UPS > Configure (CORE: Services > UPS > Configure): "Identifier" is the ' +
      'UPS name (default ups), "Monitor User" the account (default upsmon) and "Monitor Password" its password, ' +
      'which ships as fixmepass until changed there: set your own and type it here. Tick "Remote Monitor" so upsd ' +
      'listens on the network; "Remote Port" is the port (default 3493).',
    reference:
      'https://www.truenas.com/docs/core/services/ups/ (Monitor User, Monitor Password, Remote Monitor: ' +
      '"the known values of user: upsmon and password: fixmepass"; identifier default ups)',
  },
  {
    id: 'unraid',
    label: 'Unraid (NUT plugin)',
    port: NUT_DEFAULT_PORT,
    upsName: 'ups',
    username: 'slaveuser',
    knownPassword: null,
    whereToCheck:
      'Unraid: Settings > NUT Settings (Network UPS Tools plugin): "NUT Mode" must be Netserver for remote clients; ' +
      'the UPS name is "UPS Name" (default ups). A remote monitor such as nutfleet logs in with "NUT Slave Username" ' +
      '(default slaveuser) and "NUT Slave Password" (default slavepass: change it there and type it here); ' +
      '"NUT Monitor Username" (monuser) is the Unraid server\'s own primary account.',
    reference:
      'https://github.com/desertwitch/NUT-unRAID (plugin default.cfg: NAME=ups, SLAVEUSER=slaveuser; ' +
      'upsd.users: [slaveuser] upsmon slave)',
  },
  {
    id: 'home-assistant',
    label: 'Home Assistant (Network UPS Tools add-on)',
    port: NUT_DEFAULT_PORT,
    upsName: null,
    username: null,
    knownPassword: null,
    whereToCheck:
      'Home Assistant: Settings > Add-ons > Network UPS Tools > Configuration: the UPS name is devices[].name ' +
      '(myups in the example), the account one of users[] with "upsmon: slave"; mode must be netserver and port ' +
      '3493 exposed on the host.',
    reference: 'https://github.com/hassio-addons/addon-nut/blob/main/nut/DOCS.md',
  },
  {
    id: 'debian-upsd',
    label: 'Debian / Ubuntu upsd (nut-server package)',
    port: NUT_DEFAULT_PORT,
    upsName: null,
    username: null,
    knownPassword: null,
    whereToCheck:
      'The UPS name is the [section] in /etc/nut/ups.conf; the account a [user] in /etc/nut/upsd.users with ' +
      '"upsmon secondary" (none is created by the package); LISTEN in /etc/nut/upsd.conf must include an ' +
      'address nutfleet reaches. `upsc -l <host>` lists the UPS names.',
    reference: 'https://networkupstools.org/docs/man/upsd.users.html',
  },
];

export function nutServerPreset(id: string): NutServerPreset | undefined {
  return NUT_SERVER_PRESETS.find((p) => p.id === id);
}
