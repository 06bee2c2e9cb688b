import { randomBytes } from 'node:crypto';
import { type ClientChannel } from 'ssh2';

import { type EsxiError, type EsxiErrorContext, OutputTooLargeError } from '../esxi-errors';
import { BoundedOutput } from './bounded-output';
import { UNCONFIRMED_CLOSE_GRACE_MS } from './channel-limiter';

/**
 * What a command loop channel runs: a shell that reads a marker line, answers it on stdout (the
 * marker alone: "ready"), reads the command line, runs it (`eval`, so the line means what it
 * would mean in `sh -c`) with stdin from /dev/null, then writes `<marker> <exit code>` on stdout
 * and `<marker>` on stderr. Both end the command's output: stdout and stderr travel apart and may
 * arrive in either order. Variables are named so no command of ours sets them.
 *
 * The command line is sent only once the marker came back: like an exec channel's open
 * confirmation, that proves the host was there just before, so a connection found dead before it
 * means the command never left (and may be sent again), not "it may have run". On a loop that
 * finished a command within WARM_LOOP_MS, a command with no beforeSend goes out with its marker
 * (one round trip instead of two; see `run`): the shell echoes the marker before it reads the
 * line, so a channel that closes before the echo came back still means the line was not run.
 */
export const COMMAND_LOOP_SCRIPT =
  'while IFS= read -r __nf_m; do ' +
  `printf '%s\\n' "$__nf_m"; IFS= read -r __nf_c || break; ` +
  'eval "$__nf_c" </dev/null; __nf_r=$?; ' +
  `printf '%s %d\\n' "$__nf_m" "$__nf_r"; printf '%s\\n' "$__nf_m" >&2; ` +
  'done';

/**
 * How recently a loop must have finished a command for the next one to go out with its marker.
 * A deploy or a readiness check runs its commands back to back; a connection the host dropped
 * while idle is found by a command sent after a pause, which still waits for its marker.
 */
export const WARM_LOOP_MS = 2_000;

/** A loop that did not answer a command's marker: the command was not sent (run it another way). */
export class CommandLoopNotReadyError extends Error {
  public constructor(host: string, why: string) {
    super(`the command loop on ${host} did not answer (${why}); the command was not sent`);
    this.name = 'CommandLoopNotReadyError';
  }
}

/** Whether a shell line can go through a command loop: one line (the loop reads line by line). */
export function fitsCommandLoop(line: string): boolean {
  return !line.includes('\n') && !line.includes('\r');
}

export interface LoopCommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command in flight on a loop: whether its marker came back, and how it ends. */
interface InFlight {
  readonly marker: string;
  readonly line: string;
  /** The host has answered the marker (the line waits for `beforeSend`, if any). */
  ready: boolean;
  /** The command line is sent. */
  sent: boolean;
  readonly beforeSend: (() => Promise<void>) | undefined;
  /** Until the marker comes back. */
  readyTimer?: NodeJS.Timeout;
  readonly stdout: BoundedOutput;
  readonly stderr: BoundedOutput;
  readonly maxOutputBytes: number;
  readonly context: EsxiErrorContext;
  code: number | undefined;
  stderrDone: boolean;
  readonly resolve: (result: LoopCommandResult) => void;
  readonly reject: (error: Error) => void;
}

/**
 * One exec channel running COMMAND_LOOP_SCRIPT on a host, serving one command at a time. Why:
 * an exec channel per command is four packets from us (open, exec, EOF, close) and five from the
 * host, each encrypted and written on its own; through a loop a command is two packets from us
 * and about three from the host. When 5,000 hosts get their first shutdown command at once,
 * those packets were the workers' largest cost (and the simulator's).
 *
 * Any surprise — the channel closes, unexpected output, too much output, the caller gives up —
 * ends the loop: the owner opens a new one for the next command.
 */
export class CommandLoop {
  private current: InFlight | undefined;
  /** Asked to close (or closed): takes no more commands. */
  private closing = false;
  private closedFlag = false;
  private readonly prefix = randomBytes(6).toString('hex');
  private sequence = 0;
  private readonly closeListeners: Array<() => void> = [];
  /** When the last command ended with its exit code (the host answered then). */
  private lastFinishedAt: number | undefined;

  /**
   * `lost`: the error of a command whose loop closed after its line was sent (it may have run):
   * the connection knows whether the whole connection dropped.
   */
  public constructor(
    private readonly channel: ClientChannel,
    private readonly label: string,
    private readonly lost: (context: EsxiErrorContext) => EsxiError,
  ) {
    channel.on('data', (chunk: Buffer) => this.onStdout(chunk));
    channel.stderr.on('data', (chunk: Buffer) => this.onStderr(chunk));
    channel.on('close', () => this.markClosed());
  }

  /** Free for a command: open and not running one. */
  public get idle(): boolean {
    return !this.closing && this.current === undefined;
  }

  /** Closed or closing: the owner opens a new loop for the next command. */
  public get closed(): boolean {
    return this.closing;
  }

  /** Called once, when the channel has closed (at once if it already has). */
  public onClose(listener: () => void): void {
    if (this.closedFlag) listener();
    else this.closeListeners.push(listener);
  }

  /**
   * Runs one line (see `fitsCommandLoop`); resolves with its exit code, whatever it is. Rejects
   * with CommandLoopNotReadyError when the line was never sent, with an EsxiError when the
   * outcome is unknown; either way the loop is then closed. `shown` is the line errors quote.
   * Without beforeSend, on a loop that finished a command within WARM_LOOP_MS, the line goes out
   * with its marker; a caller that gives up before the echo came back then gets its own error
   * (the shell may still read the line), not CommandLoopNotReadyError.
   */
  public run(
    line: string,
    shown: string,
    limits: {
      readonly maxOutputBytes: number;
      readonly readyTimeoutMs: number;
      /** Awaited once the marker came back, before the line is sent (see ExecOptions.beforeSend). */
      readonly beforeSend?: () => Promise<void>;
    },
  ): Promise<LoopCommandResult> {
    if (!this.idle) throw new Error(`the command loop on ${this.label} is busy or closed`);
    this.sequence += 1;
    const marker = `__nutfleet_${this.prefix}_${this.sequence}`;
    const { maxOutputBytes, readyTimeoutMs } = limits;
    return new Promise<LoopCommandResult>((resolve, reject) => {
      const command: InFlight = {
        marker,
        line,
        ready: false,
        sent: false,
        beforeSend: limits.beforeSend,
        // Room for the markers besides the command's own output.
        stdout: new BoundedOutput(maxOutputBytes + 2 * marker.length + 16),
        stderr: new BoundedOutput(maxOutputBytes + marker.length + 2),
        maxOutputBytes,
        context: { host: this.label, command: shown },
        code: undefined,
        stderrDone: false,
        resolve,
        reject,
      };
      this.current = command;
      const lastFinishedAt = this.lastFinishedAt;
      if (
        limits.beforeSend === undefined &&
        lastFinishedAt !== undefined &&
        Date.now() - lastFinishedAt <= WARM_LOOP_MS
      ) {
        command.sent = true;
        this.channel.write(`${marker}\n${line}\n`);
        return;
      }
      this.channel.write(`${marker}\n`);
      // A shell that does not answer in time may be stuck (or not a shell): the command is not
      // sent, and the caller still has time to run it another way.
      command.readyTimer = setTimeout(() => {
        if (this.current === command && !command.sent) this.failUnsent(`no answer within ${readyTimeoutMs} ms`);
      }, readyTimeoutMs);
    });
  }

  /** Ends the loop (and any command it runs): the shell gets SIGHUP when the channel closes. */
  public close(): void {
    if (this.closing) return;
    this.closing = true;
    this.channel.close();
    setTimeout(() => this.markClosed(), UNCONFIRMED_CLOSE_GRACE_MS).unref();
  }

  /**
   * Rejects the command in flight and ends the loop: with CommandLoopNotReadyError (saying
   * `error`) before the host answered its marker, with `error` after — also while the line waits
   * for its beforeSend, whose mark may land: the caller cannot take it as never sent.
   */
  public fail(error: EsxiError): void {
    const command = this.current;
    if (command !== undefined && !command.ready && !command.sent) return this.failUnsent(error.message);
    this.take();
    command?.reject(error);
    this.close();
  }

  /** The command in flight, no longer in flight. */
  private take(): InFlight | undefined {
    const command = this.current;
    this.current = undefined;
    clearTimeout(command?.readyTimer);
    return command;
  }

  private failUnsent(why: string): void {
    const command = this.take();
    command?.reject(new CommandLoopNotReadyError(this.label, why));
    this.close();
  }

  private onStdout(chunk: Buffer): void {
    const command = this.current;
    if (command === undefined) return;
    if (!command.stdout.push(chunk)) return this.fail(new OutputTooLargeError(command.maxOutputBytes, command.context));
    if (!command.ready && command.sent && !this.takeEcho(command)) return;
    if (chunk[chunk.length - 1] !== NEWLINE) return;
    if (!command.ready) return this.onReady(command);
    if (!command.sent) return this.failUnsent('it wrote output before the command was sent');
    const tail = command.stdout.tail(command.marker.length + 16);
    const match = endOfStdout(tail, command.marker);
    if (match === undefined) return;
    command.code = match.code;
    command.stdout.dropLast(match.length);
    this.finishIfDone();
  }

  /** The marker came back: the host is there, the line goes out. Anything else ends the loop. */
  private onReady(command: InFlight): void {
    const answer = command.stdout.text();
    if (answer !== `${command.marker}\n`) {
      return this.failUnsent(`it answered ${JSON.stringify(answer.slice(0, 80))} instead of the marker`);
    }
    command.stdout.dropLast(answer.length);
    clearTimeout(command.readyTimer);
    command.ready = true;
    if (command.beforeSend === undefined) return this.send(command);
    command.beforeSend().then(
      () => {
        if (this.current === command && !this.closing) this.send(command);
      },
      (error: unknown) => {
        if (this.current !== command) return;
        // Not sent: the shell still waits for a line, and the loop ends with the caller's error.
        this.take();
        command.reject(error instanceof Error ? error : new Error(String(error)));
        this.close();
      },
    );
  }

  /**
   * A line sent with its marker: the marker's echo comes first, possibly in the same packet as
   * the command's output. True once it has come (and is set aside); anything else ends the loop.
   */
  private takeEcho(command: InFlight): boolean {
    const echo = `${command.marker}\n`;
    const head = command.stdout.head(echo.length);
    if (echo.startsWith(head) && head.length < echo.length) return false;
    if (head !== echo) {
      this.fail(this.lost(command.context));
      return false;
    }
    command.stdout.dropFirst(echo.length);
    command.ready = true;
    return true;
  }

  private send(command: InFlight): void {
    command.sent = true;
    this.channel.write(`${command.line}\n`);
  }

  private onStderr(chunk: Buffer): void {
    const command = this.current;
    if (command === undefined) return;
    if (!command.stderr.push(chunk)) return this.fail(new OutputTooLargeError(command.maxOutputBytes, command.context));
    const end = `${command.marker}\n`;
    if (!command.stderr.tail(end.length).endsWith(end)) return;
    command.stderrDone = true;
    command.stderr.dropLast(end.length);
    this.finishIfDone();
  }

  private finishIfDone(): void {
    const command = this.current;
    if (command === undefined || command.code === undefined || !command.stderrDone) return;
    this.take();
    this.lastFinishedAt = Date.now();
    command.resolve({ code: command.code, stdout: command.stdout.text(), stderr: command.stderr.text() });
  }

  private markClosed(): void {
    if (this.closedFlag) return;
    this.closing = true;
    this.closedFlag = true;
    const command = this.take();
    if (command !== undefined) {
      // Once the line was sent and its marker answered, it may have run (an `exit`, a killed
      // shell, a host going down). A line sent with its marker whose echo never came was not
      // read: the shell writes the echo before it reads the line, and a closing channel still
      // delivers what was written before it.
      command.reject(
        command.sent && command.ready
          ? this.lost(command.context)
          : new CommandLoopNotReadyError(this.label, 'the channel closed'),
      );
    }
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}

const NEWLINE = 0x0a;

/** `<marker> <code>\n` at the very end of `tail`: the exit code and the marker line's length. */
function endOfStdout(tail: string, marker: string): { code: number; length: number } | undefined {
  const at = tail.lastIndexOf(`${marker} `);
  if (at < 0) return undefined;
  const code = /^ (\d{1,3})\n$/.exec(tail.slice(at + marker.length));
  if (code === null) return undefined;
  return { code: Number(code[1]), length: tail.length - at };
}
