/**
 * `/etc/init.d/upsmon start|stop|restart|status`, the NutClient service. Like the real init
 * script it reads the UserVars once at start; the config it started with is recorded so tests
 * can check that a restart was needed (and done) after changing a value.
 */
import { fail, ok, type CommandContext, type CommandResult } from './command-result';
import type { HostState } from './host-state';

export const UPSMON_INIT_SCRIPT = '/etc/init.d/upsmon';

export function startUpsmon(state: HostState): string {
  if (state.upsmon.running) return 'NUT client already running';
  const start = { at: Date.now(), config: state.upsmonConfig() };
  state.upsmon.running = true;
  state.upsmon.current = start;
  state.upsmon.starts.push(start);
  return 'NUT client started';
}

function stopUpsmon(state: HostState): string {
  if (!state.upsmon.running) return 'NUT client is not running';
  state.upsmon.running = false;
  state.upsmon.current = undefined;
  state.upsmon.stops.push(Date.now());
  return 'NUT client stopped';
}

export function handleUpsmonService(argv: string[], ctx: CommandContext): CommandResult {
  const { state } = ctx;
  switch (argv[1]) {
    case 'start':
      return ok(`${startUpsmon(state)}\n`);
    case 'stop':
      return ok(`${stopUpsmon(state)}\n`);
    case 'restart':
      return ok(`${stopUpsmon(state)}\n${startUpsmon(state)}\n`);
    case 'status':
      return state.upsmon.running
        ? ok('NUT client is running\n')
        : { stdout: 'NUT client is not running\n', stderr: '', code: 3 };
    default:
      return fail(`Usage: ${argv[0] ?? UPSMON_INIT_SCRIPT} {start|stop|status|restart}`);
  }
}
