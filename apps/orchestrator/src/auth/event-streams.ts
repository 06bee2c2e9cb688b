import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { PrismaService } from '@nutfleet/db';

import { RetryLaterError } from '../http/api-error';
import { type Principal } from './principal';

/** How often open streams' tokens are re-read (revoked on another replica, expired, deleted). */
export const STREAM_TOKEN_RECHECK_MS = 5000;

interface OpenStream {
  tokenId: string;
  /** Ends the stream, telling the client why. */
  cut: (reason: string) => void;
}

/**
 * The live event streams (Server-Sent Events) open in this process: bounded per process
 * (SSE_MAX_STREAMS, then 503) and per token (SSE_MAX_STREAMS_PER_TOKEN, then 429), so a burst
 * of clients cannot hold every socket and database read; and cut when their token is revoked
 * or expires — at once for a revocation through this replica, within STREAM_TOKEN_RECHECK_MS
 * otherwise.
 */
@Injectable()
export class EventStreams implements OnApplicationShutdown {
  private readonly logger = new Logger('EventStreams');
  private readonly streams = new Set<OpenStream>();
  private readonly perToken = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  public constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  public get count(): number {
    return this.streams.size;
  }

  /**
   * Admits a stream for `principal` or throws (429 / 503 with Retry-After) before anything is
   * written. Returns the release function to call when the stream ends.
   */
  public admit(principal: Principal, cut: (reason: string) => void): () => void {
    const { maxStreams, maxStreamsPerToken } = this.config.http;
    if (this.streams.size >= maxStreams)
      throw new RetryLaterError(
        503,
        `this server already serves ${maxStreams} live streams (SSE_MAX_STREAMS): retry later or use another replica`,
        10,
      );
    const mine = this.perToken.get(principal.tokenId) ?? 0;
    if (mine >= maxStreamsPerToken)
      throw new RetryLaterError(
        429,
        `token "${principal.tokenName}" already has ${mine} live streams open here (SSE_MAX_STREAMS_PER_TOKEN): close one first`,
        10,
      );
    const stream: OpenStream = { tokenId: principal.tokenId, cut };
    this.streams.add(stream);
    this.perToken.set(principal.tokenId, mine + 1);
    if (this.timer === undefined) {
      this.timer = setInterval(() => void this.recheck(), STREAM_TOKEN_RECHECK_MS);
      this.timer.unref();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.streams.delete(stream);
      const left = (this.perToken.get(stream.tokenId) ?? 1) - 1;
      if (left > 0) this.perToken.set(stream.tokenId, left);
      else this.perToken.delete(stream.tokenId);
      if (this.streams.size === 0) this.stopTimer();
    };
  }

  /** Ends every stream of a token (revoked through this replica). */
  public cutToken(tokenId: string, reason: string): void {
    for (const stream of [...this.streams]) if (stream.tokenId === tokenId) stream.cut(reason);
  }

  public onApplicationShutdown(): void {
    this.stopTimer();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async recheck(): Promise<void> {
    const ids = [...this.perToken.keys()];
    if (ids.length === 0) return;
    try {
      const rows = await this.prisma.apiToken.findMany({
        where: { id: { in: ids } },
        select: { id: true, revokedAt: true, expiresAt: true },
      });
      const now = Date.now();
      const valid = new Set(
        rows
          .filter((r) => r.revokedAt === null && (r.expiresAt === null || r.expiresAt.getTime() > now))
          .map((r) => r.id),
      );
      for (const id of ids) {
        if (valid.has(id)) continue;
        const row = rows.find((r) => r.id === id);
        this.cutToken(id, row?.revokedAt ? 'token revoked' : row ? 'token expired' : 'token deleted');
      }
    } catch (error) {
      // The database is unavailable: keep the streams (they fail on their own reads) and retry.
      this.logger.warn(`could not re-check the tokens of open streams: ${String(error)}`);
    }
  }
}
