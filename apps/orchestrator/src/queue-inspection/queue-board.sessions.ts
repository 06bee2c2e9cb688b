import { createHash, randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';

/** How long a queue-inspector cookie lasts. */
export const QUEUE_BOARD_SESSION_MS = 3600_000;
export const QUEUE_BOARD_COOKIE = 'nutfleet_queues';

function digest(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/**
 * Browser sessions for Bull Board: a browser navigating to /admin/queues cannot send a bearer
 * header, so an admin exchanges its token (POST /admin/queues/session) for a random cookie. The
 * cookie maps to the token in this process only, kept by the cookie's hash (the cookie itself
 * is nowhere but in the browser; logs redact Cookie and Set-Cookie); each request
 * re-authenticates that token, so a revoked token stops working within the token cache time.
 */
@Injectable()
export class QueueBoardSessions {
  private readonly sessions = new Map<string, { token: string; expiresAt: number }>();

  public open(token: string, now = Date.now()): string {
    for (const [key, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(key);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(digest(id), { token, expiresAt: now + QUEUE_BOARD_SESSION_MS });
    return id;
  }

  public token(id: string, now = Date.now()): string | null {
    const s = this.sessions.get(digest(id));
    if (!s || s.expiresAt <= now) return null;
    return s.token;
  }
}
