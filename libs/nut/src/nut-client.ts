/**
 * NutClient: every NUT command as a typed method over one connection. Requests are serialised
 * (NUT has no request ids); each one has a timeout; failures are typed NutErrors.
 */
import { NutConnection, type NutRequestOptions } from './nut-connection';
import {
  NutCredentialsWithheldError,
  NutError,
  NutInvalidArgumentError,
  NutProtocolError,
  NutTlsUnavailableError,
  NutUnknownCommandError,
} from './nut-errors';
import { type NutConnectOptions, type NutTlsMode, resolveNutConnectOptions } from './nut-options';
import {
  listRowValues,
  type NutCommandAck,
  type NutRange,
  type NutTrackingStatus,
  type NutUpsInfo,
  type NutVarType,
  parseCommandAck,
  parseNamedValueReply,
  parseNutInteger,
  parseOkReply,
  parseOnOffReply,
  parseRangeRow,
  parseTrackingStatusReply,
  parseTypeReply,
  parseUpsRow,
  parseUpsValueReply,
  parseVersionReply,
} from './nut-reply.parser';

export type { NutRequestOptions } from './nut-connection';

/** Variables of a UPS as `name → value` (values are always strings on the wire). */
export type NutVariables = Record<string, string>;

/** One UPS's answer in a pipelined `LIST VAR` round: its variables, or the typed error of that UPS alone. */
export type NutVarsReply =
  { ups: string; ok: true; variables: NutVariables } | { ups: string; ok: false; error: NutError };

export interface NutCredentials {
  username: string;
  password: string;
}

export interface NutTrackingWaitOptions {
  /** Give up after this long (default 10 s) and return the last status (`PENDING`). */
  timeoutMs?: number;
  /** Poll interval (default 200 ms). */
  intervalMs?: number;
}

/** Requests only ever reject with NutErrors; anything else (a bug) is wrapped, keeping the cause. */
function asNutError(error: unknown, server: string): NutError {
  return error instanceof NutError
    ? error
    : new NutProtocolError('unexpected failure', undefined, { server, cause: error });
}

function ok(line: string): void {
  parseOkReply(line);
}

export class NutClient {
  private constructor(
    private readonly connection: NutConnection,
    private readonly tlsMode: NutTlsMode,
  ) {}

  /**
   * Connects and applies the TLS policy (STARTTLS before anything else, as upsd requires).
   * Throws NutConnectError, NutTlsUnavailableError (required, not offered), NutTlsCertificateError…
   */
  static async connect(options: NutConnectOptions): Promise<NutClient> {
    const resolved = resolveNutConnectOptions(options);
    const connection = await NutConnection.open(resolved);
    if (resolved.tls.mode !== 'off') {
      try {
        await connection.startTls();
      } catch (error) {
        const declined = error instanceof NutTlsUnavailableError && !connection.closed;
        if (!declined || resolved.tls.mode === 'required') {
          connection.destroy();
          throw error;
        }
      }
    }
    return new NutClient(connection, resolved.tls.mode);
  }

  /** `host:port` of the server. */
  get server(): string {
    return this.connection.server;
  }

  /** True when the connection runs over TLS. */
  get tls(): boolean {
    return this.connection.tls;
  }

  /** True once the connection is gone (server closed, fatal error, or close/destroy). */
  get closed(): boolean {
    return this.connection.closed;
  }

  /** Last time a request was written (ms since epoch). */
  get lastRequestTime(): number {
    return this.connection.lastRequestTime;
  }

  /** Registers a listener for the connection's end, called once with the reason. */
  onClose(listener: (reason: NutError) => void): void {
    this.connection.onClose(listener);
  }

  // ---- versions ----

  /** `VER`: free-form server banner, e.g. `Network UPS Tools upsd 2.8.0 - …`. */
  ver(options?: NutRequestOptions): Promise<string> {
    return this.connection.requestLine({ keywords: ['VER'] }, (line) => line, options);
  }

  /** `NETVER`: protocol version, e.g. `1.3`. */
  netVer(options?: NutRequestOptions): Promise<string> {
    return this.connection.requestLine({ keywords: ['NETVER'] }, parseVersionReply, options);
  }

  /** Protocol version: `PROTVER` (2.8+), falling back to `NETVER` on older servers. */
  async protocolVersion(options?: NutRequestOptions): Promise<string> {
    try {
      return await this.connection.requestLine({ keywords: ['PROTVER'] }, parseVersionReply, options);
    } catch (error) {
      if (error instanceof NutUnknownCommandError) return this.netVer(options);
      throw error;
    }
  }

  /** `HELP`: the server's command list (free text). */
  help(options?: NutRequestOptions): Promise<string> {
    return this.connection.requestLine({ keywords: ['HELP'] }, (line) => line, options);
  }

  // ---- lists ----

  /** `LIST UPS`: every UPS the server knows. */
  listUps(options?: NutRequestOptions): Promise<NutUpsInfo[]> {
    return this.connection.requestList({ keywords: ['LIST', 'UPS'] }, ['UPS'], parseUpsRow, options);
  }

  /** `LIST VAR <ups>`: all variables. This is the monitor's poll. */
  listVars(ups: string, options?: NutRequestOptions): Promise<NutVariables> {
    return this.listNameValues('VAR', ups, options);
  }

  /**
   * `LIST VAR` for every UPS in one pipelined write (the monitor's poll of a whole server): one
   * round trip and one read by upsd instead of one per UPS. An `ERR` for one UPS (unknown,
   * driver not connected…) is that UPS's reply; a broken connection fails every UPS not yet answered.
   */
  async listVarsOfEach(upses: readonly string[], options?: NutRequestOptions): Promise<NutVarsReply[]> {
    const requests = this.connection.pipeline(() => upses.map((ups) => this.listNameValues('VAR', ups, options)));
    const settled = await Promise.allSettled(requests);
    return settled.map((result, index): NutVarsReply => {
      const ups = upses[index] ?? '';
      if (result.status === 'fulfilled') return { ups, ok: true, variables: result.value };
      return { ups, ok: false, error: asNutError(result.reason, this.server) };
    });
  }

  /** `LIST RW <ups>`: writable variables and their values. */
  listRw(ups: string, options?: NutRequestOptions): Promise<NutVariables> {
    return this.listNameValues('RW', ups, options);
  }

  /** `LIST CMD <ups>`: instant command names. */
  listCommands(ups: string, options?: NutRequestOptions): Promise<string[]> {
    return this.connection.requestList(
      { keywords: ['LIST', 'CMD'], args: [ups] },
      ['CMD', ups],
      (words) => listRowValues(words, 'CMD', [ups], 1)[0] ?? '',
      options,
    );
  }

  /** `LIST ENUM <ups> <var>`: allowed values (may be empty). */
  listEnum(ups: string, name: string, options?: NutRequestOptions): Promise<string[]> {
    return this.connection.requestList(
      { keywords: ['LIST', 'ENUM'], args: [ups, name] },
      ['ENUM', ups, name],
      (words) => listRowValues(words, 'ENUM', [ups, name], 1)[0] ?? '',
      options,
    );
  }

  /** `LIST RANGE <ups> <var>`: allowed ranges. */
  listRange(ups: string, name: string, options?: NutRequestOptions): Promise<NutRange[]> {
    return this.connection.requestList(
      { keywords: ['LIST', 'RANGE'], args: [ups, name] },
      ['RANGE', ups, name],
      (words) => parseRangeRow(words, ups, name),
      options,
    );
  }

  /** `LIST CLIENT <ups>`: addresses of clients logged in to that UPS. */
  listClients(ups: string, options?: NutRequestOptions): Promise<string[]> {
    return this.connection.requestList(
      { keywords: ['LIST', 'CLIENT'], args: [ups] },
      ['CLIENT', ups],
      (words) => listRowValues(words, 'CLIENT', [ups], 1)[0] ?? '',
      options,
    );
  }

  // ---- single values ----

  /** `GET VAR <ups> <var>`. */
  getVar(ups: string, name: string, options?: NutRequestOptions): Promise<string> {
    return this.connection.requestLine(
      { keywords: ['GET', 'VAR'], args: [ups, name] },
      (line) => parseNamedValueReply(line, 'VAR', ups, name),
      options,
    );
  }

  /** `GET TYPE <ups> <var>`. */
  getType(ups: string, name: string, options?: NutRequestOptions): Promise<NutVarType> {
    return this.connection.requestLine(
      { keywords: ['GET', 'TYPE'], args: [ups, name] },
      (line) => parseTypeReply(line, ups, name),
      options,
    );
  }

  /** `GET DESC <ups> <var>`: human description of a variable. */
  getDesc(ups: string, name: string, options?: NutRequestOptions): Promise<string> {
    return this.connection.requestLine(
      { keywords: ['GET', 'DESC'], args: [ups, name] },
      (line) => parseNamedValueReply(line, 'DESC', ups, name),
      options,
    );
  }

  /** `GET CMDDESC <ups> <cmd>`. */
  getCmdDesc(ups: string, command: string, options?: NutRequestOptions): Promise<string> {
    return this.connection.requestLine(
      { keywords: ['GET', 'CMDDESC'], args: [ups, command] },
      (line) => parseNamedValueReply(line, 'CMDDESC', ups, command),
      options,
    );
  }

  /** `GET UPSDESC <ups>`: the `desc` from ups.conf. */
  getUpsDesc(ups: string, options?: NutRequestOptions): Promise<string> {
    return this.connection.requestLine(
      { keywords: ['GET', 'UPSDESC'], args: [ups] },
      (line) => parseUpsValueReply(line, 'UPSDESC', ups),
      options,
    );
  }

  /** `GET NUMLOGINS <ups>`: clients logged in to that UPS. */
  getNumLogins(ups: string, options?: NutRequestOptions): Promise<number> {
    return this.connection.requestLine(
      { keywords: ['GET', 'NUMLOGINS'], args: [ups] },
      (line) => parseNutInteger(parseUpsValueReply(line, 'NUMLOGINS', ups), line),
      options,
    );
  }

  // ---- authentication ----

  /** `USERNAME <name>`. Always `OK`: credentials are checked later, by LOGIN/SET/INSTCMD/FSD. */
  setUsername(username: string, options?: NutRequestOptions): Promise<void> {
    return this.connection.requestLine({ keywords: ['USERNAME'], args: [username] }, ok, options);
  }

  /** True when the TLS policy lets credentials go over this connection: TLS is up, or the policy is `off`. */
  get mayAuthenticate(): boolean {
    return this.tls || this.tlsMode === 'off';
  }

  /**
   * `PASSWORD <password>` (never shown in errors). Refused with NutCredentialsWithheldError,
   * before anything is sent, on a plaintext connection whose TLS policy is not `off`.
   */
  setPassword(password: string, options?: NutRequestOptions): Promise<void> {
    if (!this.mayAuthenticate) return Promise.reject(this.withheld());
    return this.connection.requestLine({ keywords: ['PASSWORD'], args: [password], secretArgs: [0] }, ok, options);
  }

  /** USERNAME then PASSWORD (neither is sent when the TLS policy withholds the password). */
  async authenticate(credentials: NutCredentials, options?: NutRequestOptions): Promise<void> {
    if (!this.mayAuthenticate) throw this.withheld();
    await this.setUsername(credentials.username, options);
    await this.setPassword(credentials.password, options);
  }

  private withheld(): NutCredentialsWithheldError {
    return new NutCredentialsWithheldError(
      `the server did not offer STARTTLS and the TLS mode is ${this.tlsMode}: the password is not sent in clear text (set the mode to off to allow it)`,
      { server: this.server },
    );
  }

  /** `LOGIN <ups>`: one per connection; this is where a wrong password gives NutAccessDeniedError. */
  login(ups: string, options?: NutRequestOptions): Promise<void> {
    return this.connection.requestLine({ keywords: ['LOGIN'], args: [ups] }, ok, options);
  }

  /**
   * `PRIMARY <ups>`, or `MASTER <ups>` on servers older than 2.8 (which answer UNKNOWN-COMMAND).
   * Returns which one was granted.
   */
  async primary(ups: string, options?: NutRequestOptions): Promise<'PRIMARY' | 'MASTER'> {
    try {
      await this.connection.requestLine({ keywords: ['PRIMARY'], args: [ups] }, ok, options);
      return 'PRIMARY';
    } catch (error) {
      if (!(error instanceof NutUnknownCommandError)) throw error;
    }
    await this.connection.requestLine({ keywords: ['MASTER'], args: [ups] }, ok, options);
    return 'MASTER';
  }

  /** `FSD <ups>`: latches forced shutdown on that UPS in this upsd (needs the FSD action). */
  fsd(ups: string, options?: NutRequestOptions): Promise<void> {
    return this.connection.requestLine({ keywords: ['FSD'], args: [ups] }, ok, options);
  }

  // ---- writes ----

  /** `SET VAR <ups> <var> <value>`. `OK` only means "handed to the driver": use tracking for the outcome. */
  setVar(ups: string, name: string, value: string, options?: NutRequestOptions): Promise<NutCommandAck> {
    return this.connection.requestLine(
      { keywords: ['SET', 'VAR'], args: [ups, name, value] },
      parseCommandAck,
      options,
    );
  }

  /** `INSTCMD <ups> <cmd> [<param>]`. */
  instCmd(ups: string, command: string, param?: string, options?: NutRequestOptions): Promise<NutCommandAck> {
    const args = param === undefined ? [ups, command] : [ups, command, param];
    return this.connection.requestLine({ keywords: ['INSTCMD'], args }, parseCommandAck, options);
  }

  /** `SET TRACKING ON|OFF` for this connection (2.8+; older servers give NutInvalidArgumentError). */
  setTracking(enabled: boolean, options?: NutRequestOptions): Promise<void> {
    return this.connection.requestLine({ keywords: ['SET', 'TRACKING', enabled ? 'ON' : 'OFF'] }, ok, options);
  }

  /**
   * Turns TRACKING on where the server has it. Returns false on servers older than 2.8, which
   * answer `SET TRACKING` with INVALID-ARGUMENT (or UNKNOWN-COMMAND): the caller then knows an
   * `OK` only means "handed to the driver", never "done".
   */
  async enableTracking(options?: NutRequestOptions): Promise<boolean> {
    try {
      await this.setTracking(true, options);
      return true;
    } catch (error) {
      if (error instanceof NutInvalidArgumentError || error instanceof NutUnknownCommandError) return false;
      throw error;
    }
  }

  /** `GET TRACKING`: whether tracking is on for this connection. */
  getTrackingMode(options?: NutRequestOptions): Promise<boolean> {
    return this.connection.requestLine({ keywords: ['GET', 'TRACKING'] }, parseOnOffReply, options);
  }

  /** `GET TRACKING <id>`: PENDING, SUCCESS, or the failure result (UNKNOWN, FAILED, INVALID-ARGUMENT). */
  getTracking(id: string, options?: NutRequestOptions): Promise<NutTrackingStatus> {
    return this.connection.requestLine({ keywords: ['GET', 'TRACKING'], args: [id] }, parseTrackingStatusReply, {
      ...options,
      errResults: ['UNKNOWN', 'FAILED', 'INVALID-ARGUMENT'],
    });
  }

  /** Polls `GET TRACKING <id>` until it is no longer PENDING or the wait times out. */
  async waitForTracking(id: string, options: NutTrackingWaitOptions = {}): Promise<NutTrackingStatus> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      const status = await this.getTracking(id);
      if (status !== 'PENDING' || Date.now() >= deadline) return status;
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
    }
  }

  // ---- end ----

  /** `LOGOUT` (best effort, short timeout) then close. Never throws. */
  async close(options: NutRequestOptions = { timeoutMs: 1000 }): Promise<void> {
    if (this.connection.closed) return;
    try {
      await this.connection.requestLine({ keywords: ['LOGOUT'] }, (line) => line, options);
    } catch {
      // Whatever went wrong, the connection is being closed anyway.
    } finally {
      this.connection.destroy();
    }
  }

  /** Closes the connection at once, failing pending requests with NutConnectionClosedError. */
  destroy(): void {
    this.connection.destroy();
  }

  private async listNameValues(kind: 'VAR' | 'RW', ups: string, options?: NutRequestOptions): Promise<NutVariables> {
    const rows = await this.connection.requestList(
      { keywords: ['LIST', kind], args: [ups] },
      [kind, ups],
      (words) => listRowValues(words, kind, [ups], 2),
      options,
    );
    // A null-prototype object: variable names such as "constructor" must not hit Object.prototype.
    const variables: NutVariables = Object.create(null) as NutVariables;
    for (const [name, value] of rows) if (name !== undefined) variables[name] = value ?? '';
    return variables;
  }
}
