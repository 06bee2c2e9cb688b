export {
  NutTestbed,
  startNutTestbed,
  type NutTestbedOptions,
  type NutTestbedUpsSpec,
  type CleanupRegistrar,
} from './nut-testbed';
export { DEFAULT_UPS_VARIABLES, type NutTestbedUser } from './nut-testbed-config';
export { type NutTestbedTlsMaterial } from './nss-certificate';
export { findFreeLoopbackPort } from './free-port';
export { UpsHardwareSocket, type UpsHardwareEvent } from './ups-hardware.socket';
