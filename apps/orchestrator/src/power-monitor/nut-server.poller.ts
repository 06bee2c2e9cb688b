/**
 * Polls every UPS of one NUT server over one long-lived NutSession and turns the replies into
 * comm-state transitions. Knows nothing of leadership or the database: the monitor feeds it
 * the inventory and records what it returns.
 */
import { isIP } from 'node:net';

import { type Logger } from '@nestjs/common';

import {
  NutAccessDeniedError,
  NutCredentialsWithheldError,
  type NutCredentials,
  NutError,
  NutNotConnectedError,
  NutSession,
  type NutSessionOptions,
  testNutConnection,
  nutTlsOptionsOf,
} from '@nutfleet/nut';

import {
  applyPollOutcome,
  initialUpsState,
  type PollOutcome,
  type UpsMonitorState,
  type UpsTransition,
} from '@nutfleet/power';

import { type InventoryServer, type InventoryUps } from './power-monitor.store';
import { classifyPollError } from './ups-poll.outcome';

export interface TrackedUps {
  id: string;
  name: string;
  state: UpsMonitorState;
  /** When the monitor last wrote this UPS's row, epoch ms. */
  lastWriteAt: number | null;
  writtenVariables: Readonly<Record<string, string>> | null;
  /** commError as last written (the detector's error, or the server's credential error). */
  writtenError: string | null;
}

export interface UpsPollResult {
  ups: TrackedUps;
  outcome: PollOutcome;
  transition: UpsTransition;
}

export interface NutServerPollerOptions {
  /** After this long without a good poll a UPS is reported comm-lost (DEADTIME is the policy's). */
  commLossReportMs: number;
  requestTimeoutMs: number;
  /** Opens the sealed password of this server; throws if it can't. */
  openPassword: (server: InventoryServer) => string | undefined;
  logger: Logger;
  /**
   * Where to connect, checked against ALLOWED_TARGET_NETWORKS: the address (resolved when the
   * allow-list is set, so a name cannot move outside it), or why the server may not be reached
   * — then nothing is sent and every poll fails with that reason.
   */
  target?: { connectTo: string } | { refused: string };
}

export interface NutServerRuntimeState {
  id: string;
  server: string;
  connected: boolean;
  /** Last connection failure, e.g. `ECONNREFUSED`, null when connected. */
  lastError: string | null;
  /** Set when upsd refused our LOGIN: readings still flow (GET needs no login) but the credentials are wrong. */
  credentialError: string | null;
  upses: number;
}

/** A fingerprint of what the session is built from: when it changes, the session is rebuilt. */
export function connectionFingerprint(server: InventoryServer): string {
  return JSON.stringify([
    server.host,
    server.port,
    server.tlsMode,
    server.tlsCaPem,
    server.tlsFingerprint,
    server.username,
    server.passwordEnc,
  ]);
}

export class NutServerPoller {
  public readonly fingerprint: string;
  private readonly session: NutSession;
  private readonly upses = new Map<string, TrackedUps>();
  private readonly sessionOptions: NutSessionOptions;
  /** Only used to prove the credentials after each connect (never sent on the polling session). */
  private readonly credentials: NutCredentials | undefined;
  private credentialError: string | null = null;
  private lastConnectError: string | null = null;
  private readonly refused: string | null;
  private stopped = false;

  public constructor(
    private server: InventoryServer,
    private readonly options: NutServerPollerOptions,
  ) {
    this.fingerprint = connectionFingerprint(server);
    let credentials: NutCredentials | undefined;
    try {
      const password = options.openPassword(server);
      if (server.username !== null && password !== undefined) credentials = { username: server.username, password };
    } catch (error) {
      this.credentialError = `password unreadable: ${error instanceof Error ? error.message : String(error)}`;
      options.logger.error(`NUT server ${this.label}: ${this.credentialError}; polling without credentials`);
    }
    this.credentials = credentials;
    // No credentials on the polling session: LIST VAR needs none, and USERNAME/PASSWORD would
    // be sent again at every reconnect for nothing.
    const connectTo =
      options.target !== undefined && 'connectTo' in options.target ? options.target.connectTo : server.host;
    const tls = nutTlsOptionsOf(server);
    this.refused = options.target !== undefined && 'refused' in options.target ? options.target.refused : null;
    this.sessionOptions = {
      host: connectTo,
      port: server.port,
      // Connecting to the resolved address, the certificate is still checked against the name.
      tls: connectTo !== server.host && isIP(server.host) === 0 ? { ...tls, servername: server.host } : tls,
      timeoutMs: options.requestTimeoutMs,
      connectTimeoutMs: Math.max(options.requestTimeoutMs, 3000),
      // Short backoff cap: a NUT server back after an outage must be seen again within seconds.
      reconnect: { initialDelayMs: 250, maxDelayMs: 3000 },
    };
    this.session = new NutSession(this.sessionOptions);
    this.session.on('connected', (info) => {
      this.lastConnectError = null;
      options.logger.log(
        `NUT server ${this.label}: connected${info.tls ? ' (TLS)' : ''}, protocol ${info.protocolVersion ?? 'unknown'}`,
      );
      void this.checkCredentials();
    });
    this.session.on('disconnected', (info) => {
      this.lastConnectError = info.reason.message;
      options.logger.warn(`NUT server ${this.label}: connection lost (${info.reason.message}); reconnecting`);
    });
    this.session.on('connectFailed', (info) => {
      const message = info.error.message;
      // One line per distinct failure, not one per retry.
      if (message !== this.lastConnectError) {
        options.logger.warn(
          `NUT server ${this.label}: cannot connect (${info.error.name}: ${message}); retrying with backoff`,
        );
      }
      this.lastConnectError = message;
    });
    this.sync(server);
  }

  public get id(): string {
    return this.server.id;
  }

  public get label(): string {
    return `${this.server.host}:${this.server.port}`;
  }

  public start(): void {
    if (this.refused !== null) {
      this.options.logger.error(`NUT server ${this.label}: not contacted: ${this.refused}`);
      return;
    }
    this.session.start();
  }

  public async stop(): Promise<void> {
    this.stopped = true;
    await this.session.stop();
  }

  /** Follows additions and removals of UPSes (connection changes rebuild the poller instead). */
  public sync(server: InventoryServer): void {
    this.server = server;
    const wanted = new Map<string, InventoryUps>(server.upses.map((ups) => [ups.id, ups]));
    for (const id of this.upses.keys()) if (!wanted.has(id)) this.upses.delete(id);
    for (const ups of server.upses) {
      const tracked = this.upses.get(ups.id);
      if (tracked === undefined) {
        this.upses.set(ups.id, {
          id: ups.id,
          name: ups.name,
          state: initialUpsState(ups),
          lastWriteAt: null,
          writtenVariables: null,
          writtenError: ups.commError,
        });
      } else if (tracked.name !== ups.name) {
        // Renamed: a different UPS on the server; start over from what the row says.
        this.upses.set(ups.id, { ...tracked, name: ups.name, state: initialUpsState(ups) });
      }
    }
  }

  public runtimeState(): NutServerRuntimeState {
    return {
      id: this.server.id,
      server: this.label,
      connected: this.session.connected,
      lastError: this.session.connected
        ? null
        : (this.refused ?? this.lastConnectError ?? this.session.lastError?.message ?? null),
      credentialError: this.credentialError,
      upses: this.upses.size,
    };
  }

  /** The error to store on the UPS rows: the UPS's own, else the server's credential problem. */
  public rowError(ups: TrackedUps): string | null {
    if (ups.state.error !== null || this.credentialError === null) return ups.state.error;
    const code = this.credentialError.startsWith('credentials not checked') ? 'TLS' : 'ACCESS-DENIED';
    return `${code}: ${this.credentialError}`;
  }

  /**
   * Polls every UPS once: one pipelined round (every LIST VAR written at once, the replies read
   * in order) on the shared connection, so a server with 50 UPSes costs one round trip and
   * one wake-up of upsd per round, not 50.
   */
  public async poll(): Promise<UpsPollResult[]> {
    const upses = [...this.upses.values()];
    if (upses.length === 0) return [];
    let replies: ReadonlyMap<string, PollOutcome>;
    try {
      if (this.refused !== null) throw new NutNotConnectedError(this.refused, { server: this.label });
      const answered = await this.session.listVarsOfEach(
        upses.map((ups) => ups.name),
        { timeoutMs: this.options.requestTimeoutMs },
      );
      const at = Date.now();
      replies = new Map(
        answered.map((reply, index): [string, PollOutcome] => [
          upses[index]?.id ?? '',
          reply.ok ? { ok: true, at, variables: reply.variables } : classifyPollError(reply.error, at),
        ]),
      );
    } catch (error) {
      const failed = classifyPollError(error, Date.now());
      replies = new Map(upses.map((ups) => [ups.id, failed]));
    }
    const results: UpsPollResult[] = [];
    for (const ups of upses) {
      const outcome = replies.get(ups.id);
      if (outcome === undefined || this.stopped || !this.upses.has(ups.id)) continue;
      const transition = applyPollOutcome(ups.state, outcome, this.options.commLossReportMs);
      ups.state = transition.state;
      results.push({ ups, outcome, transition });
    }
    return results;
  }

  /**
   * upsd checks a password only at LOGIN, and a monitor must not stay logged in (upsmon
   * primaries would count it in NUMLOGINS and wait for it at FSD): prove the credentials with a
   * short separate connection after every (re)connect.
   */
  private async checkCredentials(): Promise<void> {
    const credentials = this.credentials;
    const firstUps = [...this.upses.values()][0]?.name;
    if (credentials === undefined || firstUps === undefined) return;
    try {
      await testNutConnection({ ...this.sessionOptions, credentials, loginUps: firstUps });
      if (this.credentialError !== null)
        this.options.logger.log(`NUT server ${this.label}: monitoring credentials accepted again`);
      this.credentialError = null;
    } catch (error) {
      if (this.stopped) return;
      if (error instanceof NutAccessDeniedError) {
        const message = `the NUT server refused LOGIN for user "${credentials.username}" (ERR ACCESS-DENIED): wrong password or not an upsmon user in upsd.users`;
        if (this.credentialError !== message) {
          this.options.logger.error(`NUT server ${this.label}: ${message}; readings continue without login`);
        }
        this.credentialError = message;
      } else if (error instanceof NutCredentialsWithheldError) {
        const message = `credentials not checked: ${error.message}`;
        if (this.credentialError !== message)
          this.options.logger.warn(`NUT server ${this.label}: ${message}; readings continue without login`);
        this.credentialError = message;
      } else if (!(error instanceof NutError)) {
        this.options.logger.warn(`NUT server ${this.label}: credential check failed: ${String(error)}`);
      }
      // Other NUT errors (unknown UPS, connection trouble) show up in the polls themselves.
    }
  }
}
