/**
 * @nutfleet/esxi — every action on a standalone ESXi host, over SSH.
 *
 *   const pool = new EsxiHostPool({ commandTimeoutMs: 30_000 });
 *   const host = pool.get({ address, port, username, auth, fingerprint, allowFirstContact });
 *   const { version } = await esxcli.systemVersionGet(host);
 *   const { vms } = await vim.getAllVms(host);
 *   await host.upload('/local/upsmon.vib', '/tmp/upsmon.vib');
 *
 * Every command is built from argv by `shellQuote`; every failure is an `EsxiError` subclass
 * naming the host and the command.
 */
import * as esxcliCommands from './esxcli/esxcli-commands';
import * as hostServiceCommands from './services/host-service-commands';
import * as vimCommands from './vim-cmd/vim-cmd-commands';

export * from './esxi-errors';
export { shellQuote } from './shell-quote';
export { MASK, maskArgv, maskSecrets } from './secret-mask';
export { fingerprintsEqual, hostKeyFingerprint, normaliseFingerprint } from './host-key-fingerprint';

// Connections
export {
  type ConnectionSettings,
  DEFAULT_CONNECTION_SETTINGS,
  type EsxiAuth,
  type EsxiHostTarget,
} from './ssh/esxi-host-target';
export { COMMAND_LOOP_SCRIPT } from './ssh/command-loop';
export { type ExecOptions, type ExecResult } from './ssh/ssh-connection';
export { type CommandResult, EsxiHost, type EsxiHostHooks, type HostKeyInfo } from './ssh/esxi-host';
export { EsxiHostPool } from './ssh/esxi-host-pool';
export { scanPresentedFingerprint } from './ssh/host-key-scan';
export { sha256OfFile } from './ssh/local-file-content';
export { type UploadOptions, type UploadResult } from './ssh/sftp-upload';
export { type CommandTarget } from './command-runner';

/** Typed `esxcli` wrappers: `esxcli.systemVersionGet(host)`, `esxcli.vibInstall(host, {...})`, ... */
export const esxcli = esxcliCommands;
/** Typed `vim-cmd` wrappers: `vim.getAllVms(host)`, `vim.powerShutdown(host, 3)`, ... */
export const vim = vimCommands;
/** NutClient service (`/etc/init.d/upsmon`) and ESXi's `poweroff`. */
export const hostServices = hostServiceCommands;

// Result types and pure parsers (usable on stored outputs too)
export { ACCEPTANCE_LEVELS, type AcceptanceLevel, parseAcceptanceLevel } from './esxcli/esxcli-acceptance.parser';
export { type AdvancedOption, parseAdvancedOptions } from './esxcli/esxcli-advanced-settings.parser';
export { type EsxcliErrorInfo, type EsxcliErrorKind, parseEsxcliError } from './esxcli/esxcli-error.parser';
export { parseMaintenanceMode } from './esxcli/esxcli-maintenance-mode.parser';
export { parseNicList, type PhysicalNic } from './esxcli/esxcli-nic-list.parser';
export { type EsxiVersion, parseSystemVersion } from './esxcli/esxcli-version.parser';
export { parseVibGet, type VibDetails } from './esxcli/esxcli-vib-get.parser';
export { parseVibList, type VibSummary } from './esxcli/esxcli-vib-list.parser';
export { parseVibOperationResult, type VibOperationResult } from './esxcli/esxcli-vib-result.parser';
export { type VibInstallOptions, type VibRemoveOptions } from './esxcli/esxcli-commands';
export {
  type AutoStartAction,
  type AutoStartDefaults,
  type AutoStartEntry,
  type HeartbeatSetting,
  parseAutoStartDefaults,
  parseAutoStartSequence,
} from './vim-cmd/vim-cmd-autostart.parser';
export { parseGetAllVms, type VmInventory, VmListParseError, type VmSummary } from './vim-cmd/vim-cmd-getallvms.parser';
export { parseVmPowerState, type VmPowerState } from './vim-cmd/vim-cmd-power-state.parser';
export { parseVimFault, type VimFault } from './vim-cmd/vim-cmd-fault.parser';
export { parseVimDump, type VimObject, type VimValue } from './vim-cmd/vim-dump.parser';
export { OutputParseError } from './parsing/output-parse-error';
