/**
 * NutSession: a long-lived, self-healing connection to one NUT server, for the power monitor.
 * It reconnects with exponential backoff and jitter, repeats the login after every reconnect,
 * and keeps the connection alive under upsd's 60 s idle drop. It never throws from timers or
 * emits unhandled rejections: every failure becomes an event or a rejected call.
 */
import { EventEmitter } from 'node:events';
import {
  NutClient,
  type NutCredentials,
  type NutRequestOptions,
  type NutVariables,
  type NutVarsReply,
} from './nut-client';
import { NutError, NutNotConnectedError, NutProtocolError, NutServerError } from './nut-errors';
import { formatNutServer, NUT_DEFAULT_PORT, type NutConnectOptions } from './nut-options';
import { type NutUpsInfo } from './nut-reply.parser';

export interface NutReconnectOptions {
  /** First delay after a failure, ms. Default 500. */
  initialDelayMs?: number;
  /** Cap of the delay, ms. Default 30000. */
  maxDelayMs?: number;
  /** Growth per consecutive failure. Default 2. */
  factor?: number;
  /** Random spread, as a fraction of the delay (0.25 = ±25 %). Default 0.25. */
  jitter?: number;
}

export interface NutSessionOptions extends NutConnectOptions {
  /** Sent (USERNAME, PASSWORD) after every (re)connect. */
  credentials?: NutCredentials;
  /** LOGIN to this UPS after authenticating (counts in NUMLOGINS); `primary` also claims PRIMARY/MASTER. */
  login?: { ups: string; primary?: boolean };
  /** Send a VER when no request was written for this long, ms. Must stay under upsd's 60 s. Default 20000. */
  keepAliveIdleMs?: number;
  reconnect?: NutReconnectOptions;
  /** Random source for the jitter, [0, 1). Default Math.random. */
  random?: () => number;
}

export type NutSessionState = 'idle' | 'connecting' | 'connected' | 'waiting' | 'stopped';

export interface NutSessionConnectedInfo {
  server: string;
  tls: boolean;
  /** PROTVER/NETVER, or null if the server answered neither. */
  protocolVersion: string | null;
}

export interface NutSessionDisconnectedInfo {
  server: string;
  reason: NutError;
  /** How long the connection had been up, ms. */
  connectedForMs: number;
}

export interface NutSessionConnectFailedInfo {
  server: string;
  error: NutError;
  /** Consecutive failed attempts, 1-based. */
  attempt: number;
  /** Delay before the next attempt, ms. */
  retryInMs: number;
}

export interface NutSessionEvents {
  connected: [info: NutSessionConnectedInfo];
  disconnected: [info: NutSessionDisconnectedInfo];
  connectFailed: [info: NutSessionConnectFailedInfo];
}

/** Delay before attempt `n` (1-based) of a failure streak. Exported for tests. */
export function nutBackoffDelay(
  attempt: number,
  options: NutReconnectOptions = {},
  random: () => number = Math.random,
): number {
  const initial = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.25;
  const base = Math.min(max, initial * factor ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(base * (1 - jitter + 2 * jitter * random())));
}

function asNutError(error: unknown, server: string): NutError {
  return error instanceof NutError
    ? error
    : new NutProtocolError('unexpected failure', undefined, { server, cause: error });
}

export class NutSession extends EventEmitter<NutSessionEvents> {
  /** `host:port`. */
  readonly server: string;
  private currentState: NutSessionState = 'idle';
  private client: NutClient | undefined;
  private failures = 0;
  private connectedAt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private keepAliveInFlight = false;
  private lastFailure: NutError | undefined;

  constructor(private readonly options: NutSessionOptions) {
    super();
    this.server = formatNutServer(options.host, options.port ?? NUT_DEFAULT_PORT);
  }

  get state(): NutSessionState {
    return this.currentState;
  }

  get connected(): boolean {
    return this.currentState === 'connected';
  }

  /** Why the last connection ended or the last attempt failed. */
  get lastError(): NutError | undefined {
    return this.lastFailure;
  }

  /** Starts connecting (in the background). Listen to the events to follow it. */
  start(): void {
    if (this.currentState !== 'idle') return;
    void this.attempt();
  }

  /** Stops for good: cancels timers, sends LOGOUT, closes. No event is emitted after this. */
  async stop(): Promise<void> {
    if (this.currentState === 'stopped') return;
    this.currentState = 'stopped';
    clearTimeout(this.retryTimer);
    this.stopKeepAlive();
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await client.close();
  }

  /** Resolves once connected; rejects with NutNotConnectedError after `timeoutMs`. */
  waitUntilConnected(timeoutMs: number): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onConnected = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.removeListener('connected', onConnected);
        reject(
          new NutNotConnectedError(`not connected within ${timeoutMs} ms`, {
            server: this.server,
            cause: this.lastFailure,
          }),
        );
      }, timeoutMs);
      this.once('connected', onConnected);
    });
  }

  /**
   * Runs `fn` with the live client. Rejects with NutNotConnectedError when there is none:
   * calls never wait for a reconnect, so a poller always gets an answer within its timeout.
   */
  async use<T>(fn: (client: NutClient) => Promise<T>): Promise<T> {
    const client = this.client;
    if (client === undefined || client.closed || this.currentState !== 'connected') {
      throw new NutNotConnectedError('no live connection', { server: this.server, cause: this.lastFailure });
    }
    return fn(client);
  }

  /** `LIST VAR <ups>` on the live connection (the monitor's poll). */
  listVars(ups: string, options?: NutRequestOptions): Promise<NutVariables> {
    return this.use((client) => client.listVars(ups, options));
  }

  /** `LIST VAR` of every UPS in one pipelined write on the live connection (the monitor's poll of a server). */
  listVarsOfEach(upses: readonly string[], options?: NutRequestOptions): Promise<NutVarsReply[]> {
    return this.use((client) => client.listVarsOfEach(upses, options));
  }

  /** `GET VAR <ups> <var>` on the live connection. */
  getVar(ups: string, name: string, options?: NutRequestOptions): Promise<string> {
    return this.use((client) => client.getVar(ups, name, options));
  }

  /** `LIST UPS` on the live connection. */
  listUps(options?: NutRequestOptions): Promise<NutUpsInfo[]> {
    return this.use((client) => client.listUps(options));
  }

  private async attempt(): Promise<void> {
    this.currentState = 'connecting';
    let client: NutClient | undefined;
    let protocolVersion: string | null = null;
    try {
      client = await NutClient.connect(this.options);
      if (this.options.credentials !== undefined) await client.authenticate(this.options.credentials);
      if (this.options.login !== undefined) {
        await client.login(this.options.login.ups);
        if (this.options.login.primary === true) await client.primary(this.options.login.ups);
      }
      try {
        protocolVersion = await client.protocolVersion();
      } catch (error) {
        if (!(error instanceof NutServerError)) throw error;
      }
    } catch (error) {
      client?.destroy();
      this.onAttemptFailed(asNutError(error, this.server));
      return;
    }
    if (this.isStopped()) {
      await client.close();
      return;
    }
    this.failures = 0;
    this.client = client;
    this.connectedAt = Date.now();
    this.currentState = 'connected';
    const connectedClient = client;
    client.onClose((reason) => this.onClientClosed(connectedClient, reason));
    if (client.closed) return;
    this.startKeepAlive(client);
    this.emit('connected', { server: this.server, tls: client.tls, protocolVersion });
  }

  // A method, not an inline comparison: TypeScript narrows the state across awaits otherwise.
  private isStopped(): boolean {
    return this.currentState === 'stopped';
  }

  private onAttemptFailed(error: NutError): void {
    if (this.isStopped()) return;
    this.failures += 1;
    this.lastFailure = error;
    this.scheduleRetry((retryInMs) =>
      this.emit('connectFailed', { server: this.server, error, attempt: this.failures, retryInMs }),
    );
  }

  private onClientClosed(client: NutClient, reason: NutError): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.stopKeepAlive();
    if (this.isStopped()) return;
    this.lastFailure = reason;
    this.failures = 1;
    this.scheduleRetry(() =>
      this.emit('disconnected', { server: this.server, reason, connectedForMs: Date.now() - this.connectedAt }),
    );
  }

  private scheduleRetry(announce: (retryInMs: number) => void): void {
    const delay = nutBackoffDelay(this.failures, this.options.reconnect, this.options.random);
    this.currentState = 'waiting';
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.isStopped()) void this.attempt();
    }, delay);
    // Announce after the state is consistent, so listeners may call stop() safely.
    announce(delay);
  }

  private startKeepAlive(client: NutClient): void {
    const idleMs = this.options.keepAliveIdleMs ?? 20_000;
    this.keepAliveTimer = setInterval(
      () => {
        if (this.keepAliveInFlight || client.closed || Date.now() - client.lastRequestTime < idleMs) return;
        this.keepAliveInFlight = true;
        // A failed VER closes the connection if it matters (timeout); onClose handles the rest.
        client
          .ver()
          .catch(() => undefined)
          .finally(() => {
            this.keepAliveInFlight = false;
          });
      },
      Math.max(50, Math.min(idleMs / 4, 5000)),
    );
  }

  private stopKeepAlive(): void {
    clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
  }
}
