/**
 * A real NUT server for tests: upsd + one dummy-ups driver per UPS, in a private temp dir, on a
 * free 127.0.0.1 port. Several beds run side by side (own port, own pid/state path, own drivers).
 */
import { mkdtempSync, mkdirSync, renameSync, utimesSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NutClient, type NutConnectOptions, NutServerError } from '@nutfleet/nut';
import { findFreeLoopbackPort } from './free-port';
import {
  assertSafeCredential,
  assertSafeUpsName,
  DEFAULT_UPS_VARIABLES,
  type NutTestbedTlsConfig,
  type NutTestbedUpsConfig,
  type NutTestbedUser,
  renderDevFile,
  renderUpsConf,
  renderUpsdConf,
  renderUpsdUsers,
} from './nut-testbed-config';
import { ManagedProcess, removeTempDir, trackTempDir } from './nut-testbed-process';
import { createNssServerCertificate, type NutTestbedTlsMaterial } from './nss-certificate';
import { UpsHardwareSocket } from './ups-hardware.socket';

const UPSD = '/lib/nut/upsd';
const DUMMY_UPS = '/lib/nut/dummy-ups';
const CLONE = '/lib/nut/clone';

export interface NutTestbedUpsSpec {
  name: string;
  description?: string;
  /** Initial variables, merged over DEFAULT_UPS_VARIABLES. */
  variables?: Readonly<Record<string, string>>;
  /**
   * Serve this UPS with NUT's `clone` driver on a simulated hardware socket, so that
   * `shutdown.return` / `shutdown.stayoff` really switch the output off (OFF) and back on
   * (see ups-hardware.socket.ts). The delays are clone's offdelay / ondelay.
   */
  powerCycle?: { offDelaySec: number; onDelaySec: number };
}

export interface NutTestbedOptions {
  /** A count (UPSes named ups1…upsN) or explicit specs. Default 1. */
  upses?: number | readonly NutTestbedUpsSpec[];
  admin?: NutTestbedUser;
  monitor?: NutTestbedUser;
  /** An account with `actions = SET` and `instcmds = ALL` only (no upsmon role). Default operator/operpass. */
  operator?: NutTestbedUser;
  /** Serve STARTTLS with a fresh self-signed NSS certificate (needs certutil). Default false. */
  tls?: boolean;
  /** dummy-ups poll interval, s. 1 makes file changes visible within ~1–2 s. Default 1. */
  pollIntervalSec?: number;
  /** upsd MAXAGE, s. Default 15. */
  maxAgeSec?: number;
  /** How long start/restart may take before failing, ms. Default 15000. */
  readyTimeoutMs?: number;
}

/** Anything with `after(fn)`: node:test's TestContext or SuiteContext. */
export interface CleanupRegistrar {
  after(fn: () => unknown): unknown;
}

interface UpsState {
  config: NutTestbedUpsConfig;
  variables: Record<string, string>;
  lastMtimeSec: number;
  driver: ManagedProcess | undefined;
  hardware: UpsHardwareSocket | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class NutTestbed {
  readonly host = '127.0.0.1';
  /** Admin (SET, FSD, all INSTCMDs, upsmon primary). */
  readonly admin: NutTestbedUser;
  /** Monitoring user (upsmon secondary: LOGIN only). */
  readonly monitor: NutTestbedUser;
  /** SET + every INSTCMD, nothing else: the power-cycle account. */
  readonly operator: NutTestbedUser;
  /** CA PEM, SHA-256 fingerprint and certificate name when started with `tls: true`. */
  readonly tls: NutTestbedTlsMaterial | null;
  private upsdProcess: ManagedProcess | undefined;
  private stopped = false;

  private constructor(
    /** The temp dir holding etc/ (config, .dev files), run/ (sockets) and the NSS db. */
    readonly dir: string,
    private currentPort: number,
    private readonly ups: Map<string, UpsState>,
    users: { admin: NutTestbedUser; monitor: NutTestbedUser; operator: NutTestbedUser },
    tls: NutTestbedTlsMaterial | null,
    private readonly tlsConfig: NutTestbedTlsConfig | null,
    private readonly options: Required<Pick<NutTestbedOptions, 'maxAgeSec' | 'readyTimeoutMs'>>,
  ) {
    this.admin = users.admin;
    this.monitor = users.monitor;
    this.operator = users.operator;
    this.tls = tls;
  }

  /**
   * Starts drivers and upsd and waits until every UPS reports a real `ups.status`.
   * Pass the test context to have `stop()` registered as its cleanup.
   */
  static async start(options: NutTestbedOptions = {}, cleanup?: CleanupRegistrar): Promise<NutTestbed> {
    const specs: NutTestbedUpsSpec[] =
      typeof options.upses === 'object'
        ? [...options.upses]
        : Array.from({ length: options.upses ?? 1 }, (_, index) => ({ name: `ups${index + 1}` }));
    const admin = options.admin ?? { username: 'admin', password: 'adminpass' };
    const monitor = options.monitor ?? { username: 'monitor', password: 'monpass' };
    const operator = options.operator ?? { username: 'operator', password: 'operpass' };
    for (const user of [admin, monitor, operator]) {
      assertSafeCredential(user.username, 'username');
      assertSafeCredential(user.password, 'password');
    }
    // Short path: the driver's AF_UNIX socket path must fit in ~107 bytes.
    const dir = mkdtempSync(join(tmpdir(), 'nutbed-'));
    trackTempDir(dir);
    mkdirSync(join(dir, 'etc'));
    mkdirSync(join(dir, 'run'), { mode: 0o700 });

    const ups = new Map<string, UpsState>();
    for (const spec of specs) {
      assertSafeUpsName(spec.name);
      ups.set(spec.name, {
        config: {
          name: spec.name,
          description: spec.description ?? `Test UPS ${spec.name}`,
          devFile: join(dir, 'etc', `${spec.name}.dev`),
          ...(spec.powerCycle === undefined
            ? {}
            : { clone: { ...spec.powerCycle, hardwareSocket: `hw-${spec.name}` } }),
        },
        variables: { ...DEFAULT_UPS_VARIABLES, ...spec.variables },
        lastMtimeSec: 0,
        driver: undefined,
        hardware: undefined,
      });
    }
    let tls: NutTestbedTlsMaterial | null = null;
    let tlsConfig: NutTestbedTlsConfig | null = null;
    if (options.tls === true) {
      const created = await createNssServerCertificate(join(dir, 'nssdb'));
      tls = created.material;
      tlsConfig = created.config;
    }
    const bed = new NutTestbed(dir, 0, ups, { admin, monitor, operator }, tls, tlsConfig, {
      maxAgeSec: options.maxAgeSec ?? 15,
      readyTimeoutMs: options.readyTimeoutMs ?? 15_000,
    });
    cleanup?.after(() => bed.stop());
    try {
      writeFileSync(
        join(dir, 'etc', 'ups.conf'),
        renderUpsConf(
          [...ups.values()].map((state) => state.config),
          options.pollIntervalSec ?? 1,
        ),
      );
      writeFileSync(join(dir, 'etc', 'upsd.users'), renderUpsdUsers(admin, monitor, operator), {
        mode: 0o600,
      });
      chmodSync(join(dir, 'etc', 'upsd.users'), 0o600);
      for (const [name, state] of ups) {
        if (state.config.clone === undefined) bed.writeDevFile(name);
        else
          state.hardware = await UpsHardwareSocket.listen(
            join(dir, 'run', state.config.clone.hardwareSocket),
            state.variables,
          );
      }
      for (const name of ups.keys()) bed.startDriver(name);
      await bed.startUpsdOnFreePort();
      await bed.waitUntilReady();
    } catch (error) {
      await bed.stop();
      throw error;
    }
    return bed;
  }

  get port(): number {
    return this.currentPort;
  }

  /** UPS names, in creation order. */
  /** upsd's process id while it runs (the benches read its CPU time from /proc). */
  get upsdPid(): number | undefined {
    return this.upsdProcess?.pid;
  }

  get upsNames(): string[] {
    return [...this.ups.keys()];
  }

  /** `{ host, port }` (plus `extra`) for NutClient.connect / new NutSession. */
  connectOptions(extra: Omit<NutConnectOptions, 'host' | 'port'> = {}): NutConnectOptions {
    return { host: this.host, port: this.currentPort, ...extra };
  }

  /** The variables currently written in the UPS's .dev file. */
  variables(upsName: string): Readonly<Record<string, string>> {
    return { ...this.state(upsName).variables };
  }

  /**
   * Changes variables by rewriting the UPS's .dev file; `null` deletes a variable. dummy-ups
   * notices a change only through a different mtime, which has 1 s resolution, so every write
   * gets a strictly increasing mtime; the change reaches upsd within ~1–3 s (use waitForVariable).
   */
  setVariables(upsName: string, changes: Readonly<Record<string, string | null>>): void {
    const state = this.state(upsName);
    for (const [name, value] of Object.entries(changes)) {
      // dummy-ups keeps a variable whose line disappears; an empty value is how it deletes one.
      state.variables[name] = value ?? '';
    }
    if (state.hardware !== undefined) {
      // A power-cycle UPS: the hardware reports it (at once) and clone passes it on.
      state.hardware.set(Object.fromEntries(Object.entries(changes).map(([name, value]) => [name, value ?? ''])));
      return;
    }
    this.writeDevFile(upsName);
  }

  /** The simulated hardware under a `powerCycle` UPS (its output state and the commands it got). */
  hardware(upsName: string): UpsHardwareSocket {
    const hardware = this.state(upsName).hardware;
    if (hardware === undefined) throw new Error(`${upsName} is not a powerCycle UPS`);
    return hardware;
  }

  /** Shorthand for `setVariables(ups, { 'ups.status': status })`. */
  setStatus(upsName: string, status: string): void {
    this.setVariables(upsName, { 'ups.status': status });
  }

  /**
   * Polls `GET VAR` until `expected` (a value, or a predicate) holds; returns the value.
   * Throws with the last value seen after `timeoutMs` (default 10 s).
   */
  async waitForVariable(
    upsName: string,
    name: string,
    expected: string | ((value: string) => boolean),
    timeoutMs = 10_000,
  ): Promise<string> {
    const matches = typeof expected === 'string' ? (value: string) => value === expected : expected;
    const deadline = Date.now() + timeoutMs;
    let last = '(nothing read)';
    for (;;) {
      try {
        const client = await NutClient.connect(this.connectOptions({ timeoutMs: 2000 }));
        try {
          for (;;) {
            const value = await client.getVar(upsName, name);
            last = JSON.stringify(value);
            if (matches(value)) return value;
            if (Date.now() > deadline) break;
            await sleep(100);
          }
        } finally {
          client.destroy();
        }
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      if (Date.now() > deadline)
        throw new Error(`${upsName} ${name} did not reach the expected value within ${timeoutMs} ms; last: ${last}`);
      await sleep(200);
    }
  }

  /** Kills upsd (SIGKILL by default: an abrupt crash). Drivers keep running. */
  async killUpsd(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const upsd = this.upsdProcess;
    this.upsdProcess = undefined;
    await upsd?.kill(signal);
  }

  /** Starts upsd again on the same port and waits until every UPS is readable. */
  async startUpsd(): Promise<void> {
    if (this.upsdProcess?.running === true) return;
    const deadline = Date.now() + this.options.readyTimeoutMs;
    // The old listening socket may take a moment to be released.
    for (;;) {
      try {
        await this.launchUpsd(this.currentPort);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(200);
      }
    }
    await this.waitUntilReady();
  }

  /** killUpsd then startUpsd. */
  async restartUpsd(): Promise<void> {
    await this.killUpsd();
    await this.startUpsd();
  }

  /** Stops one UPS's driver: upsd then answers DRIVER-NOT-CONNECTED for it. */
  async killDriver(upsName: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const state = this.state(upsName);
    const driver = state.driver;
    state.driver = undefined;
    await driver?.kill(signal);
  }

  /** Starts one UPS's driver (again); upsd reconnects to it by itself within ~2 s. */
  startDriver(upsName: string): void {
    const state = this.state(upsName);
    if (state.driver?.running === true) return;
    const cloned = state.config.clone !== undefined;
    state.driver = new ManagedProcess(
      `${cloned ? 'clone' : 'dummy-ups'} ${upsName}`,
      cloned ? CLONE : DUMMY_UPS,
      ['-F', '-a', upsName, ...this.asRootArgs()],
      this.env(),
    );
  }

  /** Kills every process and removes the temp dir. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const processes = [this.upsdProcess, ...[...this.ups.values()].map((state) => state.driver)];
    this.upsdProcess = undefined;
    for (const state of this.ups.values()) state.driver = undefined;
    await Promise.all(processes.map((process) => process?.kill('SIGTERM', 2000)));
    await Promise.all([...this.ups.values()].map((state) => state.hardware?.close()));
    removeTempDir(this.dir);
  }

  // ---- internals ----

  private state(upsName: string): UpsState {
    const state = this.ups.get(upsName);
    if (state === undefined) throw new Error(`no UPS ${upsName} in this test bed (${this.upsNames.join(', ')})`);
    return state;
  }

  private env(): NodeJS.ProcessEnv {
    const run = join(this.dir, 'run');
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NUT_CONFPATH: join(this.dir, 'etc'),
      NUT_STATEPATH: run,
      NUT_ALTPIDPATH: run,
    };
  }

  // As root, `-u root` keeps root; otherwise the daemons would switch to `nut` and lose the dir.
  private asRootArgs(): string[] {
    return process.getuid?.() === 0 ? ['-u', 'root'] : [];
  }

  private writeDevFile(upsName: string): void {
    const state = this.state(upsName);
    const target = state.config.devFile;
    const temp = `${target}.tmp`;
    writeFileSync(temp, renderDevFile(state.variables));
    const mtimeSec = Math.max(Math.floor(Date.now() / 1000), state.lastMtimeSec + 1);
    state.lastMtimeSec = mtimeSec;
    utimesSync(temp, mtimeSec, mtimeSec);
    // Atomic replace: the driver never reads a half-written file.
    renameSync(temp, target);
  }

  private async startUpsdOnFreePort(): Promise<void> {
    let lastError: unknown;
    // Another process may grab the port between probing and binding: try a few.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const port = await findFreeLoopbackPort();
      try {
        await this.launchUpsd(port);
        this.currentPort = port;
        return;
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  /** Writes upsd.conf for `port`, spawns upsd, waits until it accepts connections. */
  private async launchUpsd(port: number): Promise<void> {
    writeFileSync(join(this.dir, 'etc', 'upsd.conf'), renderUpsdConf(port, this.options.maxAgeSec, this.tlsConfig));
    const upsd = new ManagedProcess('upsd', UPSD, ['-F', ...this.asRootArgs()], this.env());
    const deadline = Date.now() + 5000;
    for (;;) {
      if (!upsd.running) throw new Error(`upsd exited during start on port ${port}:\n${upsd.output}`);
      try {
        const client = await NutClient.connect({ host: this.host, port, timeoutMs: 1000 });
        await client.ver();
        client.destroy();
        this.upsdProcess = upsd;
        return;
      } catch {
        if (Date.now() > deadline) {
          await upsd.kill('SIGKILL');
          throw new Error(`upsd did not accept connections on port ${port}:\n${upsd.output}`);
        }
        await sleep(50);
      }
    }
  }

  /** Until every UPS has a `ups.status` that is neither an ERR nor upsd's `WAIT` placeholder. */
  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + this.options.readyTimeoutMs;
    const pending = new Set(this.ups.keys());
    let last = '';
    const client = await NutClient.connect(this.connectOptions({ timeoutMs: 2000 }));
    try {
      while (pending.size > 0) {
        for (const name of [...pending]) {
          try {
            const status = await client.getVar(name, 'ups.status');
            if (status !== 'WAIT') pending.delete(name);
            else last = `${name}: WAIT`;
          } catch (error) {
            if (!(error instanceof NutServerError)) throw error;
            last = `${name}: ${error.code}`;
          }
        }
        if (pending.size === 0) return;
        if (Date.now() > deadline) {
          const logs = [...this.ups.values()]
            .map((state) => `--- ${state.config.name} driver:\n${state.driver?.output ?? '(not running)'}`)
            .join('\n');
          throw new Error(
            `NUT test bed not ready within ${this.options.readyTimeoutMs} ms (${last})\n--- upsd:\n${this.upsdProcess?.output ?? ''}\n${logs}`,
          );
        }
        await sleep(100);
      }
    } finally {
      client.destroy();
    }
  }
}

/** Starts a test bed; with a test context, its stop() is registered as cleanup. */
export function startNutTestbed(options: NutTestbedOptions = {}, cleanup?: CleanupRegistrar): Promise<NutTestbed> {
  return NutTestbed.start(options, cleanup);
}
