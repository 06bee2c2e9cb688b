/** Shape of one esxcli command implementation. */
import type { CommandContext } from './command-result';
import type { EsxcliOptionSpec, ParsedEsxcliOptions } from './esxcli-arguments.parser';
import type { EsxcliOutput } from './esxcli-output.formatter';

export type EsxcliReply = { output: EsxcliOutput } | { error: string; code?: number };

export interface EsxcliCommand {
  /** Namespace and command words, e.g. `software vib list`. */
  path: string;
  options: EsxcliOptionSpec[];
  run(options: ParsedEsxcliOptions, ctx: CommandContext): EsxcliReply | Promise<EsxcliReply>;
}
