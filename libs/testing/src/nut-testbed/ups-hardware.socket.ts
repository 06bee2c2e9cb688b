/**
 * A simulated UPS "hardware" driver socket for NUT's `clone` driver.
 *
 * Why: the power-cycle tests need a real upsd whose driver *executes* `shutdown.return` and
 * `shutdown.stayoff`. dummy-ups 2.8.0 executes no instant command (TRACKING says UNKNOWN).
 * NUT's `clone` driver does: it counts `offdelay`, then sends `INSTCMD <load.off>` to the driver
 * socket it sits on, and after mains has been back for `ondelay` it sends `INSTCMD <load.on>`.
 * Something must play that lower driver and really switch the output: this server speaks the
 * driver side of NUT's state-socket protocol (drivers/dstate.c) on a unix socket in the test
 * bed's state path: `DUMPALL` → every `SETINFO` then `DUMPDONE`; `PING` → `PONG`;
 * `INSTCMD load.off|load.on` → the output goes off (`OFF` joins the input token, `OL OFF`) or
 * back on; every change is pushed as `SETINFO`. The input line (OL/OB) stays the test's to set,
 * so `clone` sees mains exactly as a real UPS would report it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';

/** One quoted word as NUT's parseconf reads it. */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/** Splits one socket line into words (quotes and backslash escapes, as parseconf does). */
function words(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i] ?? '';
    if (ch === '\\' && i + 1 < line.length) {
      current += line[i + 1] ?? '';
      i += 1;
      inWord = true;
    } else if (ch === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && /\s/.test(ch)) {
      if (inWord) out.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(current);
  return out;
}

export interface UpsHardwareEvent {
  /** ms since epoch. */
  at: number;
  /** `load.off`, `load.on` or any other command the socket received. */
  command: string;
}

export class UpsHardwareSocket {
  private readonly clients = new Set<Socket>();
  private readonly variables: Record<string, string>;
  private mainsOn = true;
  private outputOn = true;
  /** Every INSTCMD received, in order: what the driver above really asked the "hardware" to do. */
  readonly commands: UpsHardwareEvent[] = [];
  private readonly outputListeners: Array<(powered: boolean) => void> = [];

  private constructor(
    private readonly server: Server,
    /** Absolute path of the unix socket. */
    readonly path: string,
    variables: Readonly<Record<string, string>>,
  ) {
    this.variables = { ...variables };
    const status = this.variables['ups.status'] ?? 'OL';
    this.mainsOn = !/\bOB\b/.test(status);
    this.outputOn = !/\bOFF\b/.test(status);
    this.variables['ups.status'] = this.status();
  }

  /** Listens on `path` (removed first if a stale one is left). */
  static async listen(path: string, variables: Readonly<Record<string, string>>): Promise<UpsHardwareSocket> {
    rmSync(path, { force: true });
    const server = createServer();
    const hardware = new UpsHardwareSocket(server, path, variables);
    server.on('connection', (socket) => hardware.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    return hardware;
  }

  /** Whether the UPS output feeds the load right now. */
  get outputPowered(): boolean {
    return this.outputOn;
  }

  /** Called whenever the output is switched off or on (what the load behind it feels). */
  onOutput(listener: (powered: boolean) => void): void {
    this.outputListeners.push(listener);
  }

  /** Current values (ups.status combines the input line and the output state). */
  snapshot(): Readonly<Record<string, string>> {
    return { ...this.variables };
  }

  /**
   * Sets variables as the UPS would report them. `ups.status` sets the input line from its OL/OB
   * token; `OFF` is the hardware's own business and is kept (or dropped) from the output state.
   */
  set(changes: Readonly<Record<string, string>>): void {
    for (const [name, value] of Object.entries(changes)) {
      if (name === 'ups.status') {
        this.mainsOn = !/\bOB\b/.test(value);
        const others = value.split(/\s+/).filter((token) => token !== '' && token !== 'OFF');
        this.variables[name] = this.status(others);
      } else this.variables[name] = value;
      this.push(name);
    }
  }

  async close(): Promise<void> {
    for (const socket of this.clients) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }

  private status(tokens: readonly string[] = [this.mainsOn ? 'OL' : 'OB']): string {
    const base = tokens.length > 0 ? [...tokens] : [this.mainsOn ? 'OL' : 'OB'];
    // The outlet state is what clone's `load.status` reads (else it guesses it).
    this.variables['outlet.status'] = this.outputOn ? 'on' : 'off';
    return (this.outputOn ? base : [...base, 'OFF']).join(' ');
  }

  private accept(socket: Socket): void {
    this.clients.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.clients.delete(socket));
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        this.handle(socket, words(buffered.slice(0, newline)));
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
      }
    });
  }

  private handle(socket: Socket, request: readonly string[]): void {
    const [verb, command] = request;
    if (verb === 'DUMPALL') {
      const lines = Object.entries(this.variables).map(([name, value]) => `SETINFO ${name} ${quote(value)}`);
      socket.write(`${[...lines, 'DATAOK', 'DUMPDONE'].join('\n')}\n`);
    } else if (verb === 'PING') socket.write('PONG\n');
    else if (verb === 'INSTCMD' && command !== undefined) {
      this.commands.push({ at: Date.now(), command });
      if (command === 'load.off' || command === 'load.on') {
        this.outputOn = command === 'load.on';
        const tokens = (this.variables['ups.status'] ?? '').split(/\s+/).filter((t) => t !== '' && t !== 'OFF');
        this.variables['ups.status'] = this.status(tokens);
        this.push('outlet.status');
        this.push('ups.status');
        for (const listener of this.outputListeners) listener(this.outputOn);
      }
    }
  }

  private push(name: string): void {
    const line = `SETINFO ${name} ${quote(this.variables[name] ?? '')}\n`;
    for (const socket of this.clients) socket.write(line);
  }
}
