import { assertSuccess, type CommandTarget, runChecked } from '../command-runner';
import { ConnectionLostError, MissingExitStatusError } from '../esxi-errors';
import { type ExecOptions } from '../ssh/ssh-connection';

const UPSMON_INIT = '/etc/init.d/upsmon';

/** The NutClient init script: "NUT client is running" exits 0, "... is not running" exits 3. */
export async function upsmonStatus(
  host: CommandTarget,
  options?: ExecOptions,
): Promise<{ readonly running: boolean; readonly message: string }> {
  const result = await host.exec([UPSMON_INIT, 'status'], options);
  if (result.code === 3) return { running: false, message: result.stdout.trim() };
  return { running: true, message: assertSuccess(host, result).stdout.trim() };
}

/** start / stop / restart; resolves with the script's message ("NUT client started", ...). */
export async function upsmonControl(
  host: CommandTarget,
  action: 'start' | 'stop' | 'restart',
  options?: ExecOptions,
): Promise<string> {
  return (await runChecked(host, [UPSMON_INIT, action], options)).stdout.trim();
}

/**
 * ESXi's own `poweroff`, which runs the autostart shutdown sequence (no maintenance mode
 * needed). The host may drop the session before reporting an exit status; that counts as
 * started ('connectionClosed'), since the command was delivered.
 */
export async function hostPoweroff(host: CommandTarget, options?: ExecOptions): Promise<'exited' | 'connectionClosed'> {
  try {
    await runChecked(host, ['poweroff'], options);
    return 'exited';
  } catch (err) {
    if (err instanceof MissingExitStatusError && err.signal === undefined) return 'connectionClosed';
    if (err instanceof ConnectionLostError && err.commandMayHaveRun) return 'connectionClosed';
    throw err;
  }
}
