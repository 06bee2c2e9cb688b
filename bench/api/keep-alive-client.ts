import { connect, type Socket } from 'node:net';

export interface ClientResponse {
  status: number;
  /** Body bytes received (all of them: the response was read to its end). */
  bytes: number;
}

/** Large enough for most responses to arrive in one read. */
const READ_BUFFER_BYTES = 256 * 1024;

interface Pending {
  resolve: (response: ClientResponse) => void;
  reject: (error: Error) => void;
}

/**
 * A minimal HTTP/1.1 keep-alive client for the load generator, which shares the machine's cores
 * with the server it measures: one connection, one request at a time (one client of a closed
 * loop), every response read to its last byte and counted, never parsed. Bodies must carry a
 * Content-Length (the API's do); anything else fails the request. Node's http client costs
 * several times more CPU per request, CPU the server under test then lacks.
 */
export class KeepAliveClient {
  private socket: Socket | undefined;
  private head: Buffer = Buffer.alloc(0);
  private status = 0;
  /** Body bytes still to come for the response being read; -1 while reading its header. */
  private remaining = -1;
  private bodyBytes = 0;
  private pending: Pending | undefined;

  public constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly headers: Record<string, string>,
  ) {}

  public async get(path: string): Promise<ClientResponse> {
    if (this.pending) throw new Error('one request at a time per client');
    const socket = this.socket ?? (await this.connect());
    const extra = Object.entries(this.headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.head = Buffer.alloc(0);
      this.remaining = -1;
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n${extra}\r\n`);
    });
  }

  public close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      // Reads land in this connection's reused buffer (no allocation per read): bytes are only looked
      // at, never kept.
      const socket = connect({
        host: this.host,
        port: this.port,
        noDelay: true,
        onread: {
          buffer: Buffer.alloc(READ_BUFFER_BYTES),
          callback: (n, buffer) => this.receive((buffer as Buffer).subarray(0, n)),
        },
      });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', (error) => this.fail(socket, error));
        socket.on('close', () => this.fail(socket, new Error('connection closed')));
        this.socket = socket;
        resolve(socket);
      });
    });
  }

  /** `chunk` is only valid during this call (the read buffer is reused). */
  private receive(chunk: Buffer): boolean {
    let data = chunk;
    if (this.remaining < 0) {
      const received = this.head.length === 0 ? data : Buffer.concat([this.head, data]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        this.head = Buffer.from(received); // a header split across reads: kept (copied) until complete
        return true;
      }
      const header = received.subarray(0, end).toString('latin1');
      data = received.subarray(end + 4);
      this.head = Buffer.alloc(0);
      const length = /\r\ncontent-length: *(\d+)/i.exec(header)?.[1];
      if (length === undefined) {
        this.fail(this.socket, new Error(`response without Content-Length: ${header.split('\r\n')[0] ?? ''}`));
        return false;
      }
      this.status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(header)?.[1]);
      this.remaining = Number(length);
      this.bodyBytes = this.remaining;
    }
    this.remaining -= data.length;
    if (this.remaining > 0) return true;
    if (this.remaining < 0) {
      this.fail(this.socket, new Error('more bytes than announced (or an unrequested response)'));
      return false;
    }
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve({ status: this.status, bytes: this.bodyBytes });
    return true;
  }

  private fail(socket: Socket | undefined, error: Error): void {
    if (socket && socket === this.socket) {
      this.socket = undefined;
      socket.destroy();
    }
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}
