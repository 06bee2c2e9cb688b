/** What every simulated command returns, and the host services commands may call. */
import type { HostState } from './host-state';

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface HostControl {
  /** Real milliseconds per simulated ESXi second (delays, timeouts); tests shrink it. */
  readonly msPerSecond: number;
  /** Orderly shutdown: VMs per autostart settings, then SSH closes. Resolves when started. */
  powerOff(reason: string, delayMs?: number): void;
  reboot(reason: string, delayMs?: number): void;
}

export interface CommandContext {
  state: HostState;
  control: HostControl;
}

export type CommandHandler = (argv: string[], ctx: CommandContext) => CommandResult | Promise<CommandResult>;

export function ok(stdout = ''): CommandResult {
  return { stdout, stderr: '', code: 0 };
}

export function fail(stderr: string, code = 1, stdout = ''): CommandResult {
  return { stdout, stderr: stderr.endsWith('\n') || stderr === '' ? stderr : `${stderr}\n`, code };
}

export function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}
