export { startEsxiFleet, type EsxiFleet, type EsxiFleetOptions } from './esxi-fleet';
export { SimulatedHost, type SimulatedHostInfo } from './simulated-host';
export type { HostProfile, VmProfile, HostAcceptanceLevel, SshAuthMethod } from './host-profile';
export type { EsxiFault, EsxiFaultKind } from './fault-injection';
export {
  HostState,
  type CommandLogEntry,
  type HostPowerState,
  type InstalledVib,
  type UpsmonServiceState,
  type PowerEvent,
} from './host-state';
export type { SimulatedVm, AutostartEntry, AutostartDefaults } from './virtual-machine';
export { vmFile } from './virtual-machine';
export { ESXI_VERSION_PROFILES, type EsxiVersionName, type EsxiVersionProfile } from './esxi-version.profiles';
export { NUT_USER_VAR_NAMES, nutUserVarDefinitions, type NutUserVarName } from './nut-user-vars';
export {
  buildVibFixture,
  buildOfflineBundleFixture,
  type VibFixture,
  type VibFixtureOptions,
} from './vib-fixture.builder';
export { readArArchive, type ArMember } from './ar-archive.reader';
export { readZipArchive, type ZipEntry } from './zip-archive.reader';
export { readVibFile, readOfflineBundle, type LoadedVib } from './vib-file.reader';
export { parseVibDescriptor, vibId, type VibDescriptor } from './vib-descriptor';
export { parseShellLine, type ParsedShellLine } from './shell-line.parser';
export { macsInMagicPacket } from './wake-on-lan.listener';
export { createEd25519HostKey, type HostKey } from './host-key.factory';
