import { connect as tcpConnect, type Socket } from 'node:net';
import { Client, type ClientChannel, type ConnectConfig, type PublicKeyAuthMethod, type SFTPWrapper } from 'ssh2';
import {
  AuthenticationError,
  CommandTimeoutError,
  ConnectionError,
  ConnectionLostError,
  ConnectTimeoutError,
  type EsxiError,
  HostKeyMismatchError,
  InvalidTargetError,
  MissingExitStatusError,
  OutputTooLargeError,
  UnknownHostKeyError,
} from '../esxi-errors';
import { fingerprintsEqual, hostKeyFingerprint } from '../host-key-fingerprint';
import { BoundedOutput } from './bounded-output';
import { ChannelLimiter, UNCONFIRMED_CLOSE_GRACE_MS } from './channel-limiter';
import { COMMAND_LOOP_SCRIPT, CommandLoop, CommandLoopNotReadyError, fitsCommandLoop } from './command-loop';
import { type ConnectionSettings, type EsxiAuth } from './esxi-host-target';
import { loadPrivateKey } from './private-key';

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ExecOptions {
  readonly timeoutMs?: number;
  readonly maxOutputBytes?: number;
  /**
   * Values the command carries that must never be shown: masked as `***` in the command line
   * kept in results and errors, and in the output returned (a host may echo them back).
   */
  readonly secrets?: readonly string[];
  /**
   * Runs once the host has shown it is there, and the command leaves only after it resolved: on
   * the command loop once the shell answered its marker, on an exec channel right before the
   * channel opens. What it is for: a write-ahead mark ("this command is going out") made at the
   * last moment, so a host that cannot be reached is never marked, and the mark is not made
   * seconds before a line that waits its turn on a busy worker. If it rejects, the command is
   * not sent and exec rejects with its error. Called at most once per `EsxiHost.exec`.
   */
  readonly beforeSend?: () => Promise<void>;
}

/** What `SshConnection.open` needs: the target with its fingerprint already normalised. */
export interface ConnectParams {
  readonly label: string;
  readonly address: string;
  readonly port: number;
  readonly username: string;
  readonly auth: EsxiAuth;
  readonly fingerprint: string | undefined;
  readonly allowFirstContact: boolean;
}

/** After this many command loops that would not open, the connection runs every command on its own channel. */
const MAX_LOOP_FAILURES = 2;

/**
 * One authenticated SSH connection to one host. Runs commands and SFTP sessions on channels,
 * at most `maxChannelsPerConnection` at a time, and closes itself after `idleTimeoutMs` without
 * work. Once closed (idle, dropped, or `close()`), it stays closed: the owner opens a new one.
 *
 * A one-line command goes through the connection's command loop (see CommandLoop) when the loop
 * is free — opened at the first command, it keeps one channel slot while open; a command that
 * finds it busy, or a multi-line one, gets an exec channel of its own.
 */
export class SshConnection {
  private readonly limiter: ChannelLimiter;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Since when no channel is in use or waiting; undefined while busy. */
  private idleSince: number | undefined;
  private closedFlag = false;
  private draining = false;
  private readonly closeListeners: Array<() => void> = [];
  /** The command loop, while open. */
  private loop: CommandLoop | undefined;
  /** A caller is opening or using the loop. */
  private loopTaken = false;
  private loopFailures = 0;

  private constructor(
    private readonly client: Client,
    readonly label: string,
    /** Fingerprint of the key the host presented. */
    readonly fingerprint: string,
    private readonly settings: ConnectionSettings,
  ) {
    this.limiter = new ChannelLimiter(settings.maxChannelsPerConnection);
    client.on('close', () => this.markClosed());
    // After the handshake, errors (keep-alive timeout, reset) end in 'close'; the listener only
    // keeps them from being thrown as unhandled 'error' events.
    client.on('error', () => undefined);
    this.armIdleTimer();
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Number of channels in use or waiting for a slot. */
  get pending(): number {
    return this.limiter.pending;
  }

  onClose(listener: () => void): void {
    if (this.closedFlag) listener();
    else this.closeListeners.push(listener);
  }

  static open(params: ConnectParams, settings: ConnectionSettings): Promise<SshConnection> {
    const context = { host: params.label };
    return new Promise((resolve, reject) => {
      const client = new Client();
      // Our own socket, because ssh2 leaves Nagle's algorithm on: each exec round trip then
      // waits on delayed ACKs (90-175 ms instead of 1-4 ms on loopback).
      let socket: Socket | undefined;
      let rejection: EsxiError | undefined;
      let presented: string | undefined;
      let settled = false;

      const fail = (error: EsxiError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.removeAllListeners('ready');
        client.on('error', () => undefined);
        client.destroy();
        // Also when connect() threw before ssh2 took the socket over.
        socket?.destroy();
        reject(error);
      };

      // ssh2's own readyTimeout only starts once TCP is up; this one covers the whole attempt.
      const timer = setTimeout(
        () => fail(new ConnectTimeoutError(settings.connectTimeoutMs, context)),
        settings.connectTimeoutMs,
      );

      // The callback form: ssh2 treats any returned value, a Promise included, as a verdict.
      const hostVerifier = (key: Buffer, verify: (valid: boolean) => void): void => {
        presented = hostKeyFingerprint(key);
        if (params.fingerprint !== undefined) {
          if (fingerprintsEqual(params.fingerprint, presented)) return verify(true);
          rejection = new HostKeyMismatchError(params.fingerprint, presented, context);
          return verify(false);
        }
        if (params.allowFirstContact) return verify(true);
        rejection = new UnknownHostKeyError(presented, context);
        return verify(false);
      };

      client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
        // ESXi asks "Password: " once; any other round (even an empty one) gets the same answer.
        const answer = params.auth.kind === 'password' ? params.auth.password : '';
        finish(prompts.map(() => answer));
      });

      client.once('ready', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (presented === undefined) {
          client.destroy();
          reject(new ConnectionError('the host key was never verified', context));
          return;
        }
        resolve(new SshConnection(client, params.label, presented, settings));
      });

      client.on('error', (err: Error & { level?: string }) => {
        if (rejection) return fail(rejection);
        if (err.level === 'client-authentication') return fail(new AuthenticationError({ ...context, cause: err }));
        if (err.level === 'client-timeout')
          return fail(new ConnectTimeoutError(settings.connectTimeoutMs, { ...context, cause: err }));
        return fail(new ConnectionError(err.message, { ...context, cause: err }));
      });
      client.on('close', () =>
        fail(rejection ?? new ConnectionError('the connection closed during the handshake', context)),
      );

      try {
        const auth = params.auth;
        const keyAuth = (privateKey: string | Buffer, passphrase: string | undefined): PublicKeyAuthMethod => ({
          type: 'publickey',
          username: params.username,
          key: loadPrivateKey(privateKey, passphrase),
        });
        const config: ConnectConfig = {
          host: params.address,
          port: params.port,
          username: params.username,
          readyTimeout: settings.connectTimeoutMs,
          keepaliveInterval: settings.keepaliveIntervalMs,
          keepaliveCountMax: settings.keepaliveCountMax,
          hostVerifier,
          ...(auth.kind === 'password'
            ? { password: auth.password, tryKeyboard: true }
            : {
                // Straight to the key: no "none" attempt first, and a key parsed once per process.
                authHandler: [keyAuth(auth.privateKey, auth.passphrase)],
              }),
        };
        socket = tcpConnect({ host: params.address, port: params.port });
        socket.setNoDelay(true);
        // ssh2 reports socket errors itself once connect() has run; until then keep them handled.
        socket.on('error', () => undefined);
        client.connect({ ...config, sock: socket });
      } catch (err) {
        // An unparsable private key (or a wrong passphrase) is known before any byte is sent.
        fail(new InvalidTargetError(err instanceof Error ? err.message : String(err), { ...context, cause: err }));
      }
    });
  }

  /**
   * Runs one shell line; resolves with its exit code, whatever it is. `shown` is the line as
   * errors may quote it (secrets masked); the line sent is `command`.
   */
  async exec(command: string, options: ExecOptions = {}, shown = command): Promise<ExecResult> {
    const startedAt = Date.now();
    if (
      this.settings.commandLoop &&
      !this.loopTaken &&
      this.loopFailures < MAX_LOOP_FAILURES &&
      this.settings.maxChannelsPerConnection >= 2 &&
      fitsCommandLoop(command)
    ) {
      this.loopTaken = true;
      this.disarmIdleTimer();
      try {
        const loop = await this.openLoop();
        if (loop !== undefined) return await this.runOnLoop(loop, command, shown, options);
      } catch (error) {
        // The loop did not answer before the line was sent: the command runs on its own channel,
        // which tells a dead connection ("could not start") from a host that refuses loops.
        if (!(error instanceof CommandLoopNotReadyError)) throw error;
        this.loopFailures += 1;
      } finally {
        this.loopTaken = false;
        this.armIdleTimer();
      }
    }
    // What a loop that never answered (or a mark) used of the command's time is not given again.
    const remainingMs = (): number => (options.timeoutMs ?? this.settings.commandTimeoutMs) - (Date.now() - startedAt);
    const markWithinMs = remainingMs();
    const release = await this.takeSlot();
    try {
      if (options.beforeSend !== undefined) await this.beforeChannel(options.beforeSend, markWithinMs, shown);
    } catch (error) {
      release();
      this.armIdleTimer();
      throw error;
    }
    return this.execOnChannel(command, shown, { ...options, timeoutMs: Math.max(1, remainingMs()) }, release);
  }

  /**
   * The caller's beforeSend on the exec-channel path, within the command's time: a mark that
   * never comes back (PostgreSQL hung) ends the command as timed out, its outcome unknown to the
   * caller (the mark may yet land), rather than holding the channel slot for ever.
   */
  private async beforeChannel(beforeSend: () => Promise<void>, timeoutMs: number, shown: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CommandTimeoutError(timeoutMs, { host: this.label, command: shown })),
        Math.max(1, timeoutMs),
      );
    });
    try {
      await Promise.race([beforeSend(), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs `work` on an SFTP session that holds one channel slot until `work` settles. */
  async withSftp<T>(work: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
    const release = await this.takeSlot();
    try {
      const sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
        if (this.closedFlag) return reject(new ConnectionLostError(false, { host: this.label }));
        try {
          this.client.sftp((err, session) => (err ? reject(this.channelOpenError(err)) : resolve(session)));
        } catch (err) {
          reject(this.channelOpenError(err));
        }
      });
      try {
        return await work(sftp);
      } finally {
        sftp.end();
      }
    } finally {
      release();
      this.armIdleTimer();
    }
  }

  /** Closes now if no channel is in use, otherwise as soon as the last one finishes. */
  closeWhenIdle(): void {
    this.draining = true;
    this.armIdleTimer();
  }

  close(): void {
    if (this.closedFlag) return;
    this.client.end();
    this.markClosed();
  }

  /** The open loop, or a new one; undefined when none could be opened (the command runs on its own channel). */
  private async openLoop(): Promise<CommandLoop | undefined> {
    if (this.loop !== undefined && !this.loop.closed) return this.loop;
    if (this.closedFlag) return undefined;
    const release = await this.limiter.acquire();
    try {
      const channel = await new Promise<ClientChannel>((resolve, reject) => {
        let gaveUp = false;
        const timer = setTimeout(() => {
          gaveUp = true;
          reject(new ConnectTimeoutError(this.settings.connectTimeoutMs, { host: this.label }));
        }, this.settings.connectTimeoutMs);
        this.client.exec(COMMAND_LOOP_SCRIPT, (err, stream) => {
          clearTimeout(timer);
          if (gaveUp) return stream?.close();
          if (err) return reject(err);
          resolve(stream);
        });
      });
      const loop = new CommandLoop(channel, this.label, (context) =>
        this.closedFlag ? new ConnectionLostError(true, context) : new MissingExitStatusError(undefined, context),
      );
      this.loop = loop;
      loop.onClose(() => {
        if (this.loop === loop) this.loop = undefined;
        release();
        this.armIdleTimer();
      });
      return loop;
    } catch {
      // Refused or unanswered: the command still runs, on a channel of its own (which reports
      // a dead connection as such); a host that keeps refusing loops gets none.
      release();
      this.loopFailures += 1;
      return undefined;
    }
  }

  private async runOnLoop(
    loop: CommandLoop,
    command: string,
    shown: string,
    options: ExecOptions,
  ): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? this.settings.commandTimeoutMs;
    const result = loop.run(command, shown, {
      maxOutputBytes: options.maxOutputBytes ?? this.settings.maxOutputBytes,
      // Half the command's time at most, so a loop that never answers leaves the other half to
      // an exec channel; a live shell answers within a round trip.
      readyTimeoutMs: Math.min(this.settings.connectTimeoutMs, Math.max(1, Math.floor(timeoutMs / 2))),
      ...(options.beforeSend !== undefined ? { beforeSend: options.beforeSend } : {}),
    });
    // Closing the loop on a timeout ends the command too (its shell gets SIGHUP).
    const timer = setTimeout(
      () => loop.fail(new CommandTimeoutError(timeoutMs, { host: this.label, command: shown })),
      timeoutMs,
    );
    try {
      return await result;
    } finally {
      clearTimeout(timer);
    }
  }

  private async takeSlot(): Promise<() => void> {
    this.disarmIdleTimer();
    return this.limiter.acquire();
  }

  private execOnChannel(
    command: string,
    shown: string,
    options: ExecOptions,
    releaseSlot: () => void,
  ): Promise<ExecResult> {
    const context = { host: this.label, command: shown };
    const timeoutMs = options.timeoutMs ?? this.settings.commandTimeoutMs;
    const stdout = new BoundedOutput(options.maxOutputBytes ?? this.settings.maxOutputBytes);
    const stderr = new BoundedOutput(options.maxOutputBytes ?? this.settings.maxOutputBytes);

    return new Promise<ExecResult>((resolve, reject) => {
      let channel: ClientChannel | undefined;
      let settled = false;
      const release = (): void => {
        releaseSlot();
        this.armIdleTimer();
      };
      const settle = (error: EsxiError | undefined, result?: ExecResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          // Give the slot back when the server confirms the close, or after a grace period.
          channel?.close();
          if (channel) setTimeout(release, UNCONFIRMED_CLOSE_GRACE_MS).unref();
          else release();
          reject(error);
        } else {
          release();
          if (result) resolve(result);
        }
      };
      const timer = setTimeout(() => {
        channel?.signal('KILL');
        settle(new CommandTimeoutError(timeoutMs, context));
      }, timeoutMs);

      if (this.closedFlag) return settle(new ConnectionLostError(false, context));
      try {
        this.client.exec(command, (err, stream) => {
          if (err) return settle(this.channelOpenError(err, shown));
          channel = stream;
          if (settled) {
            stream.close();
            return undefined;
          }
          stream.once('close', release);
          // There is no stdin: without EOF some commands wait for input for ever. eof(), not
          // end(): ssh2 ends the stream itself when the channel closes, and ending it twice builds
          // a thrown-away ERR_STREAM_ALREADY_FINISHED, stack trace included, for every command
          // (2 % of a worker's time while an outage's first commands go out).
          stream.eof();
          let code: number | undefined;
          let signal: string | undefined;
          stream.on('exit', (exitCode: number | null, signalName?: string) => {
            if (typeof exitCode === 'number') code = exitCode;
            else signal = signalName ?? 'unknown';
          });
          const tooLarge = (): void =>
            settle(new OutputTooLargeError(options.maxOutputBytes ?? this.settings.maxOutputBytes, context));
          stream.on('data', (chunk: Buffer) => stdout.push(chunk) || tooLarge());
          stream.stderr.on('data', (chunk: Buffer) => stderr.push(chunk) || tooLarge());
          stream.on('close', () => {
            if (code !== undefined) return settle(undefined, { code, stdout: stdout.text(), stderr: stderr.text() });
            // When the connection dies, ssh2 emits the client's 'close' before closing its channels.
            if (signal === undefined && this.closedFlag) {
              return settle(new ConnectionLostError(true, context));
            }
            return settle(new MissingExitStatusError(signal, context));
          });
          return undefined;
        });
      } catch (err) {
        settle(this.channelOpenError(err, shown));
      }
    });
  }

  private channelOpenError(err: unknown, command?: string): EsxiError {
    // The channel was never opened, so the command never ran and may be sent again.
    return new ConnectionLostError(false, { host: this.label, command, cause: err });
  }

  /**
   * Idle from now (when nothing else waits for a channel). One timer per connection, moved on only
   * when it fires: clearing and setting a timer around every command cost a worker more CPU than
   * the commands' own SSH work when thousands of connections were busy at once (an outage).
   */
  private armIdleTimer(): void {
    if (this.closedFlag || this.busy) return;
    if (this.draining) return this.close();
    this.idleSince = Date.now();
    if (this.idleTimer === undefined) this.checkIdleIn(this.settings.idleTimeoutMs);
  }

  /** A channel in use or awaited, besides the slot an idle command loop keeps. */
  private get busy(): boolean {
    const loopSlot = this.loop !== undefined && !this.loop.closed ? 1 : 0;
    return this.loopTaken || this.limiter.pending - loopSlot > 0;
  }

  private disarmIdleTimer(): void {
    this.idleSince = undefined;
  }

  private checkIdleIn(delayMs: number): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      // Busy now: the command's end arms it again.
      if (this.closedFlag || this.idleSince === undefined) return;
      const left = this.idleSince + this.settings.idleTimeoutMs - Date.now();
      if (left > 0) this.checkIdleIn(left);
      else this.close();
    }, delayMs);
    this.idleTimer.unref();
  }

  private markClosed(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.disarmIdleTimer();
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
