import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type Server } from 'node:http';

/** How long requests in flight get to finish once the application starts closing. */
const GRACE_MS = 2000;

/**
 * Closing the HTTP server waits for every open connection to end, and live streams (SSE: power
 * events, rollout progress) never end by themselves: without this, a stop would hang until the
 * process deadline. Idle keep-alive connections are closed at once; whatever is still open after
 * a short grace period is cut.
 */
@Injectable()
export class HttpDrainService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(HttpDrainService.name);

  public constructor(private readonly adapterHost: HttpAdapterHost) {}

  public beforeApplicationShutdown(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server || typeof server.closeAllConnections !== 'function') return;
    server.closeIdleConnections();
    setTimeout(() => {
      if (server.listening || server.listenerCount('request') > 0) server.closeAllConnections();
    }, GRACE_MS).unref();
    this.logger.log(`closing HTTP connections (open streams are cut after ${GRACE_MS / 1000} s)`);
  }
}
