/**
 * One TCP (or TLS) connection to upsd: writes requests one at a time (or, inside `pipeline`,
 * all at once), reads their replies in order, and enforces timeouts and size limits. NUT is strictly request/response with no request ids, so
 * anything that puts the stream out of step (timeout, garbage, oversize) closes the connection:
 * there is no safe way to resynchronise.
 */
import * as net from 'node:net';
import {
  NutConnectError,
  NutConnectionClosedError,
  NutError,
  type NutErrorContext,
  NutLineTooLongError,
  NutProtocolError,
  NutReplyTooLargeError,
  NutTimeoutError,
  NutTlsUnavailableError,
  nutServerErrorFor,
} from './nut-errors';
import { NutLineReader } from './nut-line-reader';
import { formatNutServer, type ResolvedNutConnectOptions } from './nut-options';
import { describeNutCommand, encodeNutCommand, type NutCommand, tokenizeNutLine } from './nut-quoting';
import { parseErrReply, sameNutName } from './nut-reply.parser';
import { nutTlsHandshake } from './nut-tls';

export interface NutRequestOptions {
  /** Overrides the connection's default request timeout. */
  timeoutMs?: number;
}

interface PendingBase {
  command: NutCommand;
  text: string;
  sent: boolean;
  timer: NodeJS.Timeout | undefined;
  reject(error: Error): void;
}

interface PendingLine extends PendingBase {
  kind: 'line';
  /** ERR codes that are results of this request (passed to `parse`), not failures. */
  errResults: readonly string[];
  onLine(line: string): void;
}

interface PendingList extends PendingBase {
  kind: 'list';
  echo: readonly string[];
  begun: boolean;
  bytes: number;
  rows: number;
  onRow(words: string[]): void;
  onEnd(): void;
}

type Pending = PendingLine | PendingList;

export type NutConnectionCloseListener = (reason: NutError) => void;

export class NutConnection {
  /** `host:port`. */
  readonly server: string;
  private socket: net.Socket;
  private readonly reader: NutLineReader;
  private readonly queue: Pending[] = [];
  private closeReason: NutError | undefined;
  private readonly closeListeners: NutConnectionCloseListener[] = [];
  private tlsActive = false;
  private lastRequestAt = Date.now();
  /** True while `pipeline` runs: requests are written at once instead of after the previous reply. */
  private pipelining = false;

  private constructor(
    socket: net.Socket,
    private readonly options: ResolvedNutConnectOptions,
  ) {
    this.server = formatNutServer(options.host, options.port);
    this.socket = socket;
    this.reader = new NutLineReader(options.maxLineLength);
    this.attach(socket);
  }

  /** Opens the TCP connection (no protocol traffic yet). Throws NutConnectError. */
  static open(options: ResolvedNutConnectOptions): Promise<NutConnection> {
    const server = formatNutServer(options.host, options.port);
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: options.host, port: options.port });
      socket.setNoDelay(true);
      const onError = (error: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(new NutConnectError(`connect failed: ${error.message}`, { server, cause: error }));
      };
      const timer = setTimeout(() => {
        socket.removeListener('error', onError);
        socket.on('error', () => undefined);
        socket.destroy();
        reject(new NutConnectError(`connect timed out after ${options.connectTimeoutMs} ms`, { server }));
      }, options.connectTimeoutMs);
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', onError);
        resolve(new NutConnection(socket, options));
      });
    });
  }

  /** True once the connection is closed; every request then fails with NutConnectionClosedError. */
  get closed(): boolean {
    return this.closeReason !== undefined;
  }

  /** True after a successful STARTTLS. */
  get tls(): boolean {
    return this.tlsActive;
  }

  /** When the last request was written (ms since epoch): the session's keep-alive clock. */
  get lastRequestTime(): number {
    return this.lastRequestAt;
  }

  /** Called once when the connection closes, with the reason. */
  onClose(listener: NutConnectionCloseListener): void {
    if (this.closeReason !== undefined) listener(this.closeReason);
    else this.closeListeners.push(listener);
  }

  /**
   * Sends a request answered by one line. `parse` turns the line into the result and throws
   * NutProtocolError if it is not the expected shape. `ERR …` becomes the typed NutServerError,
   * except for codes listed in `errResults` (`*` = any), which are handed to `parse` as results.
   */
  requestLine<T>(
    command: NutCommand,
    parse: (line: string) => T,
    options: NutRequestOptions & { errResults?: readonly string[] } = {},
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending: PendingLine = {
        kind: 'line',
        command,
        text: '',
        sent: false,
        timer: undefined,
        errResults: options.errResults ?? [],
        reject,
        onLine: (line) => {
          const err = parseErrReply(line);
          if (err !== undefined && !pending.errResults.includes(err.code) && !pending.errResults.includes('*')) {
            this.complete(pending);
            reject(nutServerErrorFor(err.code, err.extra, this.context(pending)));
            return;
          }
          const value = parse(line);
          this.complete(pending);
          resolve(value);
        },
      };
      this.enqueue(pending, options.timeoutMs);
    });
  }

  /**
   * Sends a LIST request. `echo` is what follows `BEGIN LIST` in the reply (e.g. `['VAR', 'ups1']`);
   * every row goes through `parseRow`. Size and row limits apply to the whole reply.
   */
  requestList<R>(
    command: NutCommand,
    echo: readonly string[],
    parseRow: (words: string[]) => R,
    options: NutRequestOptions = {},
  ): Promise<R[]> {
    return new Promise<R[]>((resolve, reject) => {
      const rows: R[] = [];
      const pending: PendingList = {
        kind: 'list',
        command,
        text: '',
        sent: false,
        timer: undefined,
        echo,
        begun: false,
        bytes: 0,
        rows: 0,
        reject,
        onRow: (words) => rows.push(parseRow(words)),
        onEnd: () => {
          this.complete(pending);
          resolve(rows);
        },
      };
      this.enqueue(pending, options.timeoutMs);
    });
  }

  /**
   * Sends STARTTLS and, if the server agrees, runs the TLS handshake. Throws
   * NutTlsUnavailableError when the server declines (the connection stays usable in
   * plaintext), or another NutTlsError when the handshake or verification fails (closed).
   */
  async startTls(): Promise<void> {
    const context = { server: this.server, command: 'STARTTLS' };
    const line = await this.requestLine(
      { keywords: ['STARTTLS'] },
      (reply) => {
        // Detach now, synchronously: the next bytes are the server's TLS handshake.
        if (reply === 'OK STARTTLS') this.detach(this.socket);
        return reply;
      },
      // Any ERR means "no TLS here"; the caller's policy decides what that implies.
      { errResults: ['*'], timeoutMs: this.options.connectTimeoutMs },
    );
    if (line !== 'OK STARTTLS') {
      const err = parseErrReply(line);
      if (err === undefined) {
        const error = new NutProtocolError('unexpected reply to STARTTLS', line, context);
        this.destroy(error);
        throw error;
      }
      throw new NutTlsUnavailableError(`server does not offer STARTTLS (ERR ${err.code})`, {
        ...context,
        cause: nutServerErrorFor(err.code, err.extra, context),
      });
    }
    const raw = this.socket;
    if (this.reader.bufferedBytes > 0) {
      const error = new NutProtocolError('server sent data after OK STARTTLS', undefined, context);
      this.destroy(error);
      throw error;
    }
    // While the handshake runs, a close must still be noticed.
    const onRawClose = (): void =>
      this.destroy(new NutConnectionClosedError('connection closed during the TLS handshake', context));
    raw.once('close', onRawClose);
    raw.on('error', () => undefined);
    try {
      const tlsSocket = await nutTlsHandshake({
        socket: raw,
        host: this.options.host,
        options: this.options.tls,
        timeoutMs: this.options.connectTimeoutMs,
        context,
      });
      raw.removeListener('close', onRawClose);
      if (this.closed) {
        tlsSocket.destroy();
        throw new NutConnectionClosedError('connection closed during the TLS handshake', context);
      }
      this.socket = tlsSocket;
      this.tlsActive = true;
      this.attach(tlsSocket);
    } catch (error) {
      raw.removeListener('close', onRawClose);
      this.destroy(
        error instanceof NutError
          ? error
          : new NutProtocolError('TLS upgrade failed', undefined, { ...context, cause: error }),
      );
      throw error;
    }
  }

  /**
   * Runs `enqueueAll` (which must issue its requests synchronously) with pipelining on: every
   * request is written at once, in one write, instead of after the previous reply. upsd answers
   * in order, so the replies still go to their requests; one round trip and one wake-up of
   * upsd serve them all. Never use it for STARTTLS (the handshake must follow its reply).
   */
  pipeline<T>(enqueueAll: () => T): T {
    const socket = this.socket;
    this.pipelining = true;
    socket.cork();
    try {
      return enqueueAll();
    } finally {
      this.pipelining = false;
      socket.uncork();
    }
  }

  /** Closes the connection at once; pending requests fail with `reason` (the first) or NutConnectionClosedError. */
  destroy(
    reason: NutError = new NutConnectionClosedError('connection closed by the client', { server: this.server }),
  ): void {
    this.fail(reason, undefined);
  }

  // ---- internals ----

  private readonly onData = (chunk: Buffer): void => {
    if (this.closed) return;
    let lines: string[];
    try {
      lines = this.reader.push(chunk);
    } catch {
      const head = this.queue[0];
      this.fail(new NutLineTooLongError(this.options.maxLineLength, this.context(head)), head);
      return;
    }
    for (const line of lines) {
      if (this.closed) return;
      this.handleLine(line);
    }
  };

  private readonly onSocketError = (error: Error): void => {
    this.fail(
      new NutConnectionClosedError(`connection error: ${error.message}`, { server: this.server, cause: error }),
      undefined,
    );
  };

  private readonly onSocketClose = (): void => {
    this.fail(new NutConnectionClosedError('server closed the connection', { server: this.server }), undefined);
  };

  private attach(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('error', this.onSocketError);
    socket.on('close', this.onSocketClose);
  }

  private detach(socket: net.Socket): void {
    socket.removeListener('data', this.onData);
    socket.removeListener('error', this.onSocketError);
    socket.removeListener('close', this.onSocketClose);
  }

  private context(pending: Pending | undefined, cause?: unknown): NutErrorContext {
    return {
      server: this.server,
      ...(pending === undefined ? {} : { command: describeNutCommand(pending.command) }),
      ...(cause === undefined ? {} : { cause }),
    };
  }

  private enqueue(pending: Pending, timeoutMs = this.options.timeoutMs): void {
    if (this.closeReason !== undefined) {
      pending.reject(new NutConnectionClosedError('connection is closed', this.context(pending, this.closeReason)));
      return;
    }
    try {
      pending.text = encodeNutCommand(pending.command);
    } catch (error) {
      pending.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    // The clock starts at enqueue, so a caller waits at most timeoutMs even behind a queue.
    pending.timer = setTimeout(() => this.onTimeout(pending, timeoutMs), timeoutMs);
    this.queue.push(pending);
    // Sent requests are always a prefix of the queue: pipelined, write now if all before it are out.
    const previous = this.queue[this.queue.length - 2];
    if (previous === undefined || (this.pipelining && previous.sent)) this.send(pending);
  }

  private send(pending: Pending): void {
    pending.sent = true;
    this.lastRequestAt = Date.now();
    this.socket.write(pending.text);
  }

  private onTimeout(pending: Pending, timeoutMs: number): void {
    const error = new NutTimeoutError(timeoutMs, this.context(pending));
    if (!pending.sent) {
      // Never written: dropping it leaves the stream in step.
      const index = this.queue.indexOf(pending);
      if (index !== -1) this.queue.splice(index, 1);
      pending.reject(error);
      return;
    }
    this.fail(error, pending);
  }

  /** Removes the finished head request and sends the next one. */
  private complete(pending: Pending): void {
    clearTimeout(pending.timer);
    if (this.queue[0] === pending) this.queue.shift();
    const next = this.queue[0];
    if (next !== undefined && !next.sent && !this.closed) this.send(next);
  }

  private handleLine(line: string): void {
    const head = this.queue[0];
    if (head === undefined || !head.sent) {
      this.fail(new NutProtocolError('unsolicited data from server', line, { server: this.server }), undefined);
      return;
    }
    try {
      if (head.kind === 'line') head.onLine(line);
      else this.handleListLine(head, line);
    } catch (error) {
      const reason =
        error instanceof NutError
          ? new NutProtocolError(error.message, undefined, this.context(head, error))
          : new NutProtocolError('reply could not be parsed', line, this.context(head, error));
      this.fail(reason, head);
    }
  }

  private handleListLine(pending: PendingList, line: string): void {
    if (!pending.begun) {
      const err = parseErrReply(line);
      if (err !== undefined) {
        this.complete(pending);
        pending.reject(nutServerErrorFor(err.code, err.extra, this.context(pending)));
        return;
      }
      if (!this.matchesFrame(tokenizeNutLine(line), 'BEGIN', pending.echo))
        throw new NutProtocolError('expected BEGIN LIST', line);
      pending.begun = true;
      return;
    }
    pending.bytes += line.length + 1;
    pending.rows += 1;
    if (pending.bytes > this.options.maxListBytes || pending.rows > this.options.maxListRows + 1) {
      this.fail(new NutReplyTooLargeError(this.options.maxListBytes, this.context(pending)), pending);
      return;
    }
    const words = tokenizeNutLine(line);
    if (words[0] === 'END') {
      if (!this.matchesFrame(words, 'END', pending.echo))
        throw new NutProtocolError('END LIST does not match the request', line);
      pending.onEnd();
      return;
    }
    pending.onRow(words);
  }

  private matchesFrame(words: readonly string[], first: 'BEGIN' | 'END', echo: readonly string[]): boolean {
    const expected = [first, 'LIST', ...echo];
    return words.length === expected.length && expected.every((word, index) => sameNutName(words[index] ?? '', word));
  }

  /** Closes the connection; `culprit` (if any) gets `reason` itself, every other request a NutConnectionClosedError. */
  private fail(reason: NutError, culprit: Pending | undefined): void {
    if (this.closeReason !== undefined) return;
    this.closeReason = reason;
    const pending = this.queue.splice(0);
    for (const request of pending) {
      clearTimeout(request.timer);
      request.reject(
        request === culprit
          ? reason
          : new NutConnectionClosedError(`connection closed: ${reason.message}`, this.context(request, reason)),
      );
    }
    this.detach(this.socket);
    // A late socket error after destroy must not become an uncaught exception.
    this.socket.on('error', () => undefined);
    this.socket.destroy();
    for (const listener of this.closeListeners.splice(0)) listener(reason);
  }
}
