/** What went wrong, as far as esxcli's error text tells. */
export type EsxcliErrorKind =
  | 'vibNotFound'
  | 'dependency'
  | 'secureBoot'
  | 'acceptanceLevel'
  | 'missingPayloadChecksum'
  | 'optionNotFound'
  | 'optionValue'
  | 'maintenanceModeRequired'
  | 'unknownCommand'
  | 'other';

export interface EsxcliErrorInfo {
  readonly kind: EsxcliErrorKind;
  /** The bracketed class esxcli prints, e.g. "NoMatchError", when there is one. */
  readonly errorType: string | undefined;
  /** The error text, whitespace collapsed. */
  readonly message: string;
}

// Order matters: a Secure Boot refusal is also an AcceptanceConfigError, and ESXi 8's missing
// checksum comes as a generic installation error.
const RULES: ReadonlyArray<readonly [EsxcliErrorKind, RegExp]> = [
  ['secureBoot', /secure\s*boot/i],
  ['missingPayloadChecksum', /sha-?256 gunzip checksum/i],
  ['vibNotFound', /\[NoMatchError\]|No VIB matching/i],
  ['dependency', /\[DependencyError\]/i],
  ['acceptanceLevel', /\[AcceptanceConfigError\]|acceptance level/i],
  ['optionNotFound', /unable to find option|invalid option|option .* (not found|does not exist)/i],
  ['optionValue', /out of range|unable to set (the )?option|invalid value/i],
  ['unknownCommand', /unknown command or namespace/i],
  [
    'maintenanceModeRequired',
    /not in maintenance mode|must be in maintenance mode|requires? (the host to be in )?maintenance mode/i,
  ],
];

/** Classifies esxcli's error output (stdout and stderr together; esxcli uses either). */
export function parseEsxcliError(output: string): EsxcliErrorInfo {
  const message = output.replace(/\s+/g, ' ').trim();
  const errorType = /\[([A-Za-z]+(?:Error|Exception|Fault))\]/.exec(message)?.[1];
  const kind = RULES.find(([, pattern]) => pattern.test(message))?.[0] ?? 'other';
  return { kind, errorType, message };
}
