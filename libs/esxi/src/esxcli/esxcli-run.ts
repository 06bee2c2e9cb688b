import { type CommandTarget } from '../command-runner';
import {
  AcceptanceLevelError,
  AdvancedOptionNotFoundError,
  AdvancedOptionValueError,
  DependencyError,
  EsxcliError,
  EsxcliUnknownCommandError,
  MaintenanceModeRequiredError,
  MissingPayloadChecksumError,
  SecureBootError,
  VibNotFoundError,
} from '../esxi-errors';
import { type CommandResult } from '../ssh/esxi-host';
import { type ExecOptions } from '../ssh/ssh-connection';
import { type EsxcliErrorKind, parseEsxcliError } from './esxcli-error.parser';

/** `esxcli [--formatter=F] args...`; a non-zero exit becomes the matching typed error. */
export async function runEsxcli(
  host: CommandTarget,
  args: readonly string[],
  options: ExecOptions & { readonly formatter?: 'csv' | 'xml' | 'keyvalue' } = {},
): Promise<CommandResult> {
  const argv = ['esxcli', ...(options.formatter ? [`--formatter=${options.formatter}`] : []), ...args];
  const result = await host.exec(argv, options);
  if (result.code === 0) return result;
  const info = parseEsxcliError(`${result.stdout}\n${result.stderr}`);
  const context = { host: host.label, command: result.command };
  const make = ERRORS[info.kind];
  throw new make.type(info.errorType, info.message, result.code, context, make.advice);
}

type EsxcliErrorClass = new (...args: ConstructorParameters<typeof EsxcliError>) => EsxcliError;

const ERRORS: Readonly<Record<EsxcliErrorKind, { readonly type: EsxcliErrorClass; readonly advice: string }>> = {
  vibNotFound: { type: VibNotFoundError, advice: 'The VIB is not installed on this host.' },
  dependency: {
    type: DependencyError,
    advice: 'Install the VIBs it depends on first, or use a bundle that carries them.',
  },
  secureBoot: {
    type: SecureBootError,
    advice:
      'UEFI Secure Boot forbids CommunitySupported VIBs: disable Secure Boot in the host firmware to install this one.',
  },
  acceptanceLevel: {
    type: AcceptanceLevelError,
    advice:
      'Set the host acceptance level to match the VIB (esxcli software acceptance set --level=CommunitySupported).',
  },
  missingPayloadChecksum: {
    type: MissingPayloadChecksumError,
    advice:
      'ESXi 8 needs a VIB whose payload carries a sha-256 gunzip checksum: use a newer VIB build (NutClient 2.3.2 or later).',
  },
  optionNotFound: {
    type: AdvancedOptionNotFoundError,
    advice: 'The option does not exist on this host (is the VIB that creates it installed?).',
  },
  optionValue: {
    type: AdvancedOptionValueError,
    advice: "Use a value of the option's type within its Min/Max (esxcli system settings advanced list -o PATH).",
  },
  maintenanceModeRequired: {
    type: MaintenanceModeRequiredError,
    advice: 'Enter maintenance mode first, or use a plain poweroff.',
  },
  unknownCommand: {
    type: EsxcliUnknownCommandError,
    advice: 'This ESXi build does not have that esxcli command: what it reads is unknown on this host.',
  },
  other: { type: EsxcliError, advice: '' },
};
