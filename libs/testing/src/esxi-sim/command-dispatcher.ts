/**
 * Runs a parsed shell line against the host model: simple commands joined by `;`, `&&`, `||`
 * (a pipe passes on only the last command's output, as none of the simulated commands reads
 * stdin), with `2>&1` and `>/dev/null` redirections. Unknown commands answer like busybox sh.
 */
import { posix } from 'node:path';
import { BUSYBOX_COMMANDS } from './busybox-command.handler';
import type { CommandContext, CommandHandler, CommandResult } from './command-result';
import { handleEsxcli } from './esxcli-command.handler';
import { handleSecureBootProbe, handleUpsc, SECURE_BOOT_PROBE_PATH, UPSC_PATH } from './nut-client-tools.handler';
import type { ParsedShellLine, SimpleShellCommand } from './shell-line.parser';
import { handleUpsmonService, UPSMON_INIT_SCRIPT } from './upsmon-service.handler';
import { handleVimCmd } from './vim-cmd-command.handler';

const BIN_DIRECTORIES = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/lib/vmware/bin'];

function findHandler(name: string, ctx: CommandContext): CommandHandler | undefined {
  if (name === UPSMON_INIT_SCRIPT) return ctx.state.vibs.has('upsmon') ? handleUpsmonService : undefined;
  if (name === UPSC_PATH) return ctx.state.vibs.has('upsmon') ? handleUpsc : undefined;
  if (name === SECURE_BOOT_PROBE_PATH) return handleSecureBootProbe;
  let base = name;
  if (name.includes('/')) {
    if (!BIN_DIRECTORIES.includes(posix.dirname(name))) return undefined;
    base = posix.basename(name);
  }
  if (base === 'esxcli') return handleEsxcli;
  if (base === 'vim-cmd') return handleVimCmd;
  return Object.prototype.hasOwnProperty.call(BUSYBOX_COMMANDS, base) ? BUSYBOX_COMMANDS[base] : undefined;
}

async function runSimple(cmd: SimpleShellCommand, ctx: CommandContext): Promise<CommandResult> {
  const name = cmd.argv[0];
  if (name === undefined) return { stdout: '', stderr: '', code: 0 };
  const handler = findHandler(name, ctx);
  let result: CommandResult = handler
    ? await handler(cmd.argv, ctx)
    : { stdout: '', stderr: `sh: ${name}: not found\n`, code: 127 };
  for (const r of cmd.redirections) {
    if (r.fd === 2 && r.target === '&1') result = { ...result, stdout: result.stdout + result.stderr, stderr: '' };
    else if (r.fd === 1 && r.target === '&2') result = { ...result, stderr: result.stderr + result.stdout, stdout: '' };
    else if (r.fd === 1) result = { ...result, stdout: '' };
    else if (r.fd === 2) result = { ...result, stderr: '' };
  }
  return result;
}

export async function runShellLine(parsed: ParsedShellLine, ctx: CommandContext): Promise<CommandResult> {
  if (parsed.syntaxError) return { stdout: '', stderr: `sh: syntax error: ${parsed.syntaxError}\n`, code: 2 };
  let stdout = '';
  let stderr = '';
  let code = 0;
  let skip = false;
  for (const cmd of parsed.commands) {
    if (!skip) {
      const r = await runSimple(cmd, ctx);
      stdout = cmd.next === '|' ? stdout : stdout + r.stdout;
      stderr += r.stderr;
      code = r.code;
    }
    skip = (cmd.next === '&&' && code !== 0) || (cmd.next === '||' && code === 0);
  }
  return { stdout, stderr, code };
}
