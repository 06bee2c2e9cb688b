import { randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';

/** How long a queue-inspector cookie lasts. */
export const QUEUE_BOARD_SESSION_MS = 3600_000;
export const QUEUE_BOARD_COOKIE = 'nutfleet_queues';

/**
 * Browser sessions for Bull Board: a browser navigating to /admin/queues cannot send a bearer
 * header, so an admin exchanges its token (POST /admin/queues/session) for a random cookie. The
 * cookie maps to the token in this process only; each request re-authenticates that token, so
 * a revoked token stops working within the token cache time.
 */
@Injectable()
export class QueueBoardSessions {
  private readonly sessions = new Map<string, { token: string; expiresAt: number }>();

  public open(token: string, now = Date.now()): string {
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { token, expiresAt: now + QUEUE_BOARD_SESSION_MS });
    return id;
  }

  public token(id: string, now = Date.now()): string | null {
    const s = this.sessions.get(id);
    if (!s || s.expiresAt <= now) return null;
    return s.token;
  }
}
