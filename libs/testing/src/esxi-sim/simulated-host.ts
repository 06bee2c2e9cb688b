/**
 * One simulated ESXi host: its SSH listener, identity (key, credentials, MAC), power state
 * machine (on → shutting-down → off → booting → on) and injected faults, around the
 * HostState model that the commands act on.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { type Algorithms, Server as SshServer, type ParsedKey, type ServerChannel } from 'ssh2';

import { COMMAND_LOOP_SCRIPT } from '@nutfleet/esxi';

import { coalesceWrites } from './coalesced-writes';
import { type CommandContext, fail, type HostControl } from './command-result';
import { runShellLine } from './command-dispatcher';
import { faultMatches, type EsxiFault, type EsxiFaultKind } from './fault-injection';
import { createEd25519HostKey, type HostKey } from './host-key.factory';
import type { HostProfile, SshAuthMethod } from './host-profile';
import { startVmsAfterBoot, stopVmsForShutdown } from './host-power.sequence';
import { HostState } from './host-state';
import { parseShellLine } from './shell-line.parser';
import { attachSshConnection, parseAuthorizedKeys, type SshHostSide } from './ssh-connection.handler';
import { startUpsmon } from './upsmon-service.handler';

/** How a command's result goes back: on its own exec channel, or through a command loop. */
interface LineAnswer {
  /** Output written before the connection drops (a fault). */
  partial(text: string): void;
  finish(result: { stdout: string; stderr: string; code: number }): void;
}

export interface SimulatedHostIdentity {
  index: number;
  id: string;
  address: string;
  /** 0 = any free port (known after listen). */
  port: number;
  username: string;
  password: string;
  mac: string;
  hostKey: HostKey;
}

/** What the CLI prints and what a test needs to connect. */
export interface SimulatedHostInfo {
  id: string;
  address: string;
  port: number;
  username: string;
  password: string;
  mac: string;
  fingerprint: string;
  publicKey: string;
  version: string;
}

const SSH_IDENT: Record<string, string> = { '6.7': 'OpenSSH_7.7', '7.0': 'OpenSSH_8.8', '8.0': 'OpenSSH_9.3' };
// OpenSSH clients ask for chacha20-poly1305 first. Without ssh2's optional native binding
// (not built here) the simulator runs it in JS/wasm at several times the cost of AES, a cost
// a real ESXi (C OpenSSH) never pays; offering only AES keeps clients, ssh(1) included, from
// being measured against that artifact.
const SERVER_ALGORITHMS: Algorithms = {
  cipher: ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr'],
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/** How often ESXi's sshd probes a client that has sent nothing (ClientAliveInterval 200). */
const ESXI_CLIENT_ALIVE_INTERVAL_MS = 200_000;
export class SimulatedHost implements HostControl, SshHostSide {
  readonly index: number;
  readonly id: string;
  readonly address: string;
  port: number;
  readonly username: string;
  password: string;
  readonly mac: string;
  readonly state: HostState;
  readonly authMethods: readonly SshAuthMethod[];
  readonly authorizedKeys: ParsedKey[];
  readonly bootDelayMs: number;
  readonly wakeOnLan: boolean;
  private readonly holdPortWhileOff: boolean;
  /** Off with its port held: connections are reset. */
  private refusing = false;
  readonly originalHostKey: HostKey;
  /** Magic packets that reached this host's MAC (whatever its power state). */
  wolPacketsReceived = 0;
  private hostKey: HostKey;
  private ssh: SshServer;
  private listener?: NetServer;
  private readonly sockets = new Set<Socket>();
  private faults: EsxiFault[] = [];
  private connectionSeq = 0;
  private bootTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    identity: SimulatedHostIdentity,
    profile: HostProfile,
    readonly msPerSecond: number,
  ) {
    this.index = identity.index;
    this.id = identity.id;
    this.address = identity.address;
    this.port = identity.port;
    this.username = identity.username;
    this.password = identity.password;
    this.mac = identity.mac;
    this.hostKey = identity.hostKey;
    this.originalHostKey = identity.hostKey;
    this.state = new HostState(profile, identity.id, identity.mac);
    this.authMethods = profile.authMethods ?? ['publickey', 'password', 'keyboard-interactive'];
    this.authorizedKeys = parseAuthorizedKeys(profile.authorizedKeys ?? []);
    this.bootDelayMs = profile.bootDelayMs ?? 500;
    this.wakeOnLan = profile.wakeOnLan ?? true;
    this.holdPortWhileOff = profile.holdPortWhileOff ?? false;
    this.ssh = this.createSshServer();
  }

  get fingerprint(): string {
    return this.hostKey.fingerprint;
  }

  get publicKey(): string {
    return this.hostKey.publicKey;
  }

  get power(): HostState['power'] {
    return this.state.power;
  }

  get commandLog(): HostState['commandLog'] {
    return this.state.commandLog;
  }

  get files(): HostState['files'] {
    return this.state.files;
  }

  get activeFaults(): readonly EsxiFault[] {
    return this.faults;
  }

  info(): SimulatedHostInfo {
    return {
      id: this.id,
      address: this.address,
      port: this.port,
      username: this.username,
      password: this.password,
      mac: this.mac,
      fingerprint: this.fingerprint,
      publicKey: this.publicKey,
      version: this.state.esxi.version,
    };
  }

  private createSshServer(): SshServer {
    const server = new SshServer(
      {
        hostKeys: [this.hostKey.privateKey],
        ident: SSH_IDENT[this.state.esxi.name],
        algorithms: SERVER_ALGORITHMS,
        // ESXi's sshd: ClientAliveInterval 200, ClientAliveCountMax 3 (what VMware's hardening
        // guide sets and checks). ssh2's own default, a probe every 15 s, made every connection
        // of a 5,000-host fleet cost the client a reply every 15 s that no ESXi host asks for.
        keepaliveInterval: ESXI_CLIENT_ALIVE_INTERVAL_MS,
        keepaliveCountMax: 3,
      },
      () => undefined,
    );
    server.on('connection', (client, info) => {
      const socket = [...this.sockets].find((s) => s.remotePort === info.port && s.remoteAddress === info.ip);
      if (socket) attachSshConnection(this, client, socket, ++this.connectionSeq);
      else client.end();
    });
    server.on('error', () => undefined);
    return server;
  }

  async listen(): Promise<void> {
    this.refusing = false;
    if (this.listener) return;
    const listener = createServer((socket) => {
      if (this.refusing) return void socket.resetAndDestroy();
      socket.setNoDelay(true);
      coalesceWrites(socket);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      this.ssh.injectSocket(socket);
    });
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(this.port, this.address, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    const address = listener.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.listener = listener;
  }

  /** Going off: the port closes, or stays held and resets connections (holdPortWhileOff). */
  private async goOffline(): Promise<void> {
    if (!this.holdPortWhileOff || !this.listener) return this.closeListener();
    this.refusing = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  private async closeListener(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (listener) await new Promise<void>((resolve) => listener.close(() => resolve()));
  }

  // ---- faults ---------------------------------------------------------------------------

  /** Closes every open SSH connection (as a reboot or sshd restart would); the host keeps listening. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  injectFault(fault: EsxiFault): void {
    this.faults.push(fault);
    if (fault.kind === 'host-key-changed') {
      this.hostKey = createEd25519HostKey();
      this.ssh = this.createSshServer();
    }
    if (fault.kind === 'no-space-left') this.state.files.limitFreeSpace(fault.afterBytes ?? 0);
    if (fault.kind === 'vm-never-stops') {
      const vm = this.state.vm(fault.vmId);
      if (!vm) throw new Error(`host ${this.id} has no VM ${fault.vmId}`);
      vm.neverStops = fault.ignoresPowerOff ? 'ignores-power-off' : 'ignores-guest-shutdown';
      if (vm.guestShutdownTimer) clearTimeout(vm.guestShutdownTimer);
    }
  }

  /** Clears all faults, or those of one kind; a changed host key reverts to the original. */
  clearFaults(kind?: EsxiFaultKind): void {
    const removed = this.faults.filter((f) => kind === undefined || f.kind === kind);
    this.faults = this.faults.filter((f) => !removed.includes(f));
    for (const f of removed) {
      if (f.kind === 'host-key-changed' && !this.faults.some((x) => x.kind === 'host-key-changed')) {
        this.hostKey = this.originalHostKey;
        this.ssh = this.createSshServer();
      }
      if (f.kind === 'no-space-left' && !this.faults.some((x) => x.kind === 'no-space-left'))
        this.state.files.limitFreeSpace(undefined);
      if (f.kind === 'vm-never-stops') {
        const vm = this.state.vm(f.vmId);
        if (vm) vm.neverStops = undefined;
      }
    }
  }

  authFails(): boolean {
    return this.faults.some((f) => f.kind === 'auth-failure');
  }

  /** Takes the first command fault matching this line, consuming one of its `times`. */
  private commandFault(line: string): EsxiFault | undefined {
    const fault = this.faults.find(
      (f) =>
        (f.kind === 'slow-commands' ||
          f.kind === 'hanging-commands' ||
          f.kind === 'drop-connection' ||
          f.kind === 'unknown-command') &&
        faultMatches(f, line),
    );
    if (fault && 'times' in fault && fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults = this.faults.filter((f) => f !== fault);
    }
    return fault;
  }

  // ---- exec -----------------------------------------------------------------------------

  exec(line: string, channel: ServerChannel, connectionId: number, socket: Socket): void {
    if (line === COMMAND_LOOP_SCRIPT) {
      this.serveCommandLoop(channel, connectionId, socket);
      return;
    }
    this.runLine(line, connectionId, socket, {
      partial: (text) => channel.write(text),
      finish: (result) => {
        if (channel.destroyed) return;
        try {
          if (result.stdout) channel.write(result.stdout);
          if (result.stderr) channel.stderr.write(result.stderr);
          channel.exit(result.code);
          channel.end();
        } catch {
          // The client went away while the command ran: nothing left to answer.
        }
      },
    });
  }

  /**
   * nutfleet's command loop (COMMAND_LOOP_SCRIPT), run as ESXi's sh would run it: reads a marker
   * line and echoes it, reads a command line, logs and runs it like an exec request, then writes
   * `<marker> <code>` on stdout and `<marker>` on stderr. It reads the next marker only once the
   * command has finished.
   */
  private serveCommandLoop(channel: ServerChannel, connectionId: number, socket: Socket): void {
    // A character split between two packets is decoded once both have come.
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let marker: string | undefined;
    let running = false;
    const readLine = (): string | undefined => {
      const end = pending.indexOf('\n');
      if (end < 0) return undefined;
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      return line;
    };
    const next = (): void => {
      if (running || channel.destroyed) return;
      if (marker === undefined) {
        marker = readLine();
        if (marker === undefined) return;
        channel.write(`${marker}\n`);
      }
      const line = readLine();
      if (line === undefined) return;
      const done = marker;
      marker = undefined;
      running = true;
      this.runLine(line, connectionId, socket, {
        partial: (text) => channel.write(text),
        finish: (result) => {
          running = false;
          if (channel.destroyed) return;
          try {
            channel.write(`${result.stdout}${done} ${result.code}\n`);
            channel.stderr.write(`${result.stderr}${done}\n`);
          } catch {
            return;
          }
          next();
        },
      });
    };
    channel.on('data', (chunk: Buffer) => {
      pending += decoder.write(chunk);
      next();
    });
    // stdin closed: the shell's `read` fails and the loop ends.
    channel.on('end', () => {
      if (running || channel.destroyed) return;
      try {
        channel.exit(0);
        channel.end();
      } catch {
        // already gone
      }
    });
  }

  /** Logs one shell line and runs it against the host model, with the faults that match it. */
  private runLine(line: string, connectionId: number, socket: Socket, answer: LineAnswer): void {
    const parsed = parseShellLine(line);
    const argvs = parsed.commands.map((c) => c.argv);
    const entry = {
      at: Date.now(),
      connectionId,
      line,
      argvs,
      argv: argvs[0] ?? [],
      expansions: parsed.expansions,
    } as HostState['commandLog'][number];
    this.state.logCommand(entry);
    const fault = this.commandFault(line);
    if (fault?.kind === 'hanging-commands') return;
    if (fault?.kind === 'drop-connection') {
      if (fault.partialOutput) answer.partial(fault.partialOutput);
      setImmediate(() => socket.destroy());
      return;
    }
    if (fault?.kind === 'unknown-command') {
      const [program = '', ...args] = argvs[0] ?? [];
      const reply =
        program === 'vim-cmd'
          ? fail(`Unknown command: '${args[0] ?? ''}'`)
          : program === 'esxcli'
            ? fail(`Error: Unknown command or namespace ${args.join(' ')}`)
            : fail(`sh: ${program}: not found`, 127);
      entry.exitCode = reply.code;
      answer.finish(reply);
      return;
    }
    const delay = fault?.kind === 'slow-commands' ? fault.delayMs : 0;
    const ctx: CommandContext = { state: this.state, control: this };
    void (async () => {
      if (delay > 0) await sleep(delay);
      let result;
      try {
        result = await runShellLine(parsed, ctx);
      } catch (e) {
        result = { stdout: '', stderr: `sh: internal error: ${(e as Error).message}\n`, code: 1 };
      }
      entry.exitCode = result.code;
      answer.finish(result);
    })();
  }

  // ---- power ----------------------------------------------------------------------------

  powerOff(reason: string, delayMs = 0): void {
    this.shutdown(reason, delayMs, false);
  }

  reboot(reason: string, delayMs = 0): void {
    this.shutdown(reason, delayMs, true);
  }

  private shutdown(reason: string, delayMs: number, thenBoot: boolean): void {
    if (this.state.power !== 'on') return;
    this.state.power = 'shutting-down';
    this.state.logPower(thenBoot ? 'reboot-requested' : 'poweroff-requested', reason);
    void (async () => {
      // Lets the command's own reply reach the client before the host starts going down.
      await sleep(Math.max(delayMs, 20));
      await stopVmsForShutdown(this.state, this.msPerSecond);
      if (this.state.upsmon.running) {
        this.state.upsmon.running = false;
        this.state.upsmon.current = undefined;
        this.state.upsmon.stops.push(Date.now());
      }
      await this.goOffline();
      if (this.stopped) return;
      this.state.power = 'off';
      this.state.logPower('off');
      if (thenBoot) this.scheduleBoot();
    })();
  }

  /** A magic packet for this MAC arrived. Returns whether the host starts booting. */
  receiveMagicPacket(): boolean {
    this.wolPacketsReceived++;
    this.state.logPower('magic-packet', this.state.power);
    if (this.state.power !== 'off' || !this.wakeOnLan) return false;
    this.scheduleBoot();
    return true;
  }

  private scheduleBoot(): void {
    this.state.power = 'booting';
    this.bootTimer = setTimeout(() => void this.boot(), this.bootDelayMs);
  }

  private async boot(): Promise<void> {
    this.bootTimer = undefined;
    if (this.stopped) return;
    this.state.files.clearVolatile();
    await this.listen();
    this.state.power = 'on';
    this.state.logPower('booted');
    if (this.state.upsmon.startsWithHost && this.state.vibs.has('upsmon')) startUpsmon(this.state);
    void startVmsAfterBoot(this.state, this.msPerSecond, () => this.state.power === 'on');
  }

  /**
   * Test helper: mains came back to the host's power supply after it was cut (the UPS output went
   * off and on again). A host whose BIOS powers on after AC loss boots if it was off; returns
   * whether it does.
   */
  acPowerRestored(): boolean {
    this.state.logPower('ac-restored', this.state.power);
    if (this.state.power !== 'off') return false;
    this.scheduleBoot();
    return true;
  }

  /**
   * Test helper: the host boots without a magic packet — someone pressed its power button.
   * Returns whether it starts booting (only from off).
   */
  pressPowerButton(): boolean {
    if (this.state.power !== 'off') return false;
    this.state.logPower('power-button', this.state.power);
    this.scheduleBoot();
    return true;
  }

  /** Test helper: power the host off at once (no VM sequence), as after a power cut. */
  async cutPower(): Promise<void> {
    for (const vm of this.state.runningVms()) this.state.setVmPower(vm, 'off');
    this.state.clearTimers();
    await this.goOffline();
    this.state.power = 'off';
    this.state.logPower('power-cut');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.bootTimer) clearTimeout(this.bootTimer);
    this.state.clearTimers();
    await this.closeListener();
  }
}
