import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo } from 'node:net';

import { waitFor } from '@nutfleet/testing';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface CannedAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** How many requests get this answer before the default 200 comes back (default: all). */
  times?: number;
}

/**
 * A local stand-in for ntfy, Gotify, Teams, Discord, Slack or any webhook receiver, on 127.0.0.1:
 * it records every request and answers 200, or what a test told it to answer for a path.
 */
export class HttpReceiver {
  public readonly requests: ReceivedRequest[] = [];
  private readonly answers = new Map<string, CannedAnswer>();

  private constructor(private readonly server: Server) {}

  public static async start(): Promise<HttpReceiver> {
    const server = createServer();
    const receiver = new HttpReceiver(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const path = req.url ?? '';
        receiver.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
        const answer = receiver.take(path.split('?')[0] ?? path);
        res.writeHead(answer?.status ?? 200, answer?.headers ?? { 'content-type': 'text/plain' });
        res.end(answer?.body ?? 'ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** `http://127.0.0.1:<port>`. */
  public get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests to `path` (query ignored) get `answer`. */
  public answer(path: string, answer: CannedAnswer): void {
    this.answers.set(path, answer);
  }

  public to(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path.split('?')[0] === path);
  }

  public async next(
    path: string,
    what: string,
    match: (r: ReceivedRequest) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<ReceivedRequest> {
    let found: ReceivedRequest | undefined;
    await waitFor(
      what,
      async () => {
        found = this.to(path).find(match);
        return found !== undefined;
      },
      timeoutMs,
      100,
    );
    return found as ReceivedRequest;
  }

  public close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private take(path: string): CannedAnswer | undefined {
    const answer = this.answers.get(path);
    if (answer === undefined) return undefined;
    if (answer.times !== undefined) {
      if (answer.times <= 0) return undefined;
      answer.times -= 1;
    }
    return answer;
  }
}
