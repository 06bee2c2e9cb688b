/**
 * `esxcli [--formatter=…] [--format-param=…] <namespace…> <command> [options]`: finds the
 * command, parses its options and renders the reply in the requested format.
 */
import { fail, ok, type CommandContext, type CommandResult } from './command-result';
import { EsxcliUsageError, parseEsxcliOptions } from './esxcli-arguments.parser';
import type { EsxcliCommand } from './esxcli-command.types';
import { renderEsxcliOutput, type EsxcliFormatter, type FormatParams } from './esxcli-output.formatter';
import { ESXCLI_SOFTWARE_COMMANDS } from './esxcli-software.commands';
import { ESXCLI_SYSTEM_COMMANDS } from './esxcli-system.commands';

const COMMANDS = new Map<string, EsxcliCommand>(
  [...ESXCLI_SOFTWARE_COMMANDS, ...ESXCLI_SYSTEM_COMMANDS].map((c) => [c.path, c]),
);
const FORMATTERS: readonly EsxcliFormatter[] = ['xml', 'csv', 'keyvalue', 'json'];

export async function handleEsxcli(argv: string[], ctx: CommandContext): Promise<CommandResult> {
  let formatter: EsxcliFormatter = 'text';
  const params: FormatParams = { showHeader: true };
  let i = 1;
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const global = /^--(formatter|format-param)(?:=(.*))?$/.exec(arg);
    if (!global) break;
    const value = global[2] ?? argv[++i] ?? '';
    if (global[1] === 'formatter') {
      if (!(FORMATTERS as readonly string[]).includes(value))
        return fail(`Error: Invalid formatter '${value}'. Valid formatters are: ${FORMATTERS.join(', ')}`);
      formatter = value as EsxcliFormatter;
    } else {
      for (const part of value.split(':')) {
        const [k, v] = part.split('=');
        if (k === 'fields' && v) params.fields = v.split(',');
        if (k === 'show-header') params.showHeader = v !== 'false';
      }
    }
  }
  const words: string[] = [];
  let command: EsxcliCommand | undefined;
  for (; i < argv.length && !command; i++) {
    const word = argv[i] ?? '';
    if (word.startsWith('-')) break;
    words.push(word);
    command = COMMANDS.get(words.join(' '));
  }
  if (!command) {
    if (words.length === 0) return fail('Usage: esxcli [options] {namespace}+ {cmd} [cmd options]');
    return fail(`Error: Unknown command or namespace ${words.join(' ')}`);
  }
  try {
    const options = parseEsxcliOptions(argv.slice(i), command.options);
    const reply = await command.run(options, ctx);
    if ('error' in reply) return fail(reply.error, reply.code ?? 1);
    return ok(renderEsxcliOutput(reply.output, formatter, params));
  } catch (e) {
    if (e instanceof EsxcliUsageError) return fail(`${e.message}\n\nUsage: esxcli ${command.path} [cmd options]`);
    throw e;
  }
}
