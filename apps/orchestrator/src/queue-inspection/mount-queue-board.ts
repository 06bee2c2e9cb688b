import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { type INestApplication } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';

import { parseBearer } from '../auth/api-token.codec';
import { RequestAuthenticator } from '../auth/request-authenticator';
import { roleAllows } from '../auth/role';
import { reasonPhrase } from '../http/api-error';
import { QueueInspector } from './queue-inspector.service';
import { QUEUE_BOARD_COOKIE, QueueBoardSessions } from './queue-board.sessions';

export const QUEUE_BOARD_PATH = '/admin/queues';

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * Bull Board (read-only) at /admin/queues. Plain Express middleware: Nest's global token guard
 * does not run here, so this checks an admin token itself (bearer header, or the cookie from
 * POST /admin/queues/session) with the same authenticator and failure throttle as the API,
 * before anything of Bull Board's is reached.
 */
export function mountQueueBoard(app: INestApplication): void {
  const inspector = app.get(QueueInspector);
  const authenticator = app.get(RequestAuthenticator);
  const sessions = app.get(QueueBoardSessions);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: [...inspector.queues.values()].map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'nutfleet queues' } },
  });
  const router = serverAdapter.getRouter() as ((req: Request, res: Response, next: NextFunction) => void) & {
    disable(setting: string): void;
  };
  // Bull Board's router is an Express app of its own: it would announce itself otherwise.
  router.disable('x-powered-by');
  app.use(QUEUE_BOARD_PATH, (req: Request, res: Response, next: NextFunction) => {
    // The session exchange itself is a Nest route behind the guard.
    if (req.path === '/session') return next();
    const deny = (status: number, message: string): void => {
      res
        .status(status)
        .type('application/json')
        .send(JSON.stringify({ statusCode: status, error: reasonPhrase(status), message }));
    };
    const bearer = parseBearer(req.headers.authorization);
    const sessionId = cookie(req, QUEUE_BOARD_COOKIE);
    const sessionToken = bearer.ok || sessionId === undefined ? null : sessions.token(sessionId);
    // A cookie that names no live session is a failed authentication like a bad token.
    if (!bearer.ok && sessionId !== undefined && sessionToken === null) {
      authenticator
        .authenticate(req, { token: 'expired-session' })
        .then((outcome) => {
          if (!outcome.ok) for (const [name, value] of Object.entries(outcome.headers)) res.setHeader(name, value);
          deny(outcome.ok ? 401 : outcome.status, 'the queue inspector session expired or is unknown: open it again');
        })
        .catch(next);
      return;
    }
    authenticator
      .authenticate(req, {
        token: sessionToken,
        missingMessage:
          'the queue inspector needs an admin token (bearer) or a session from POST /admin/queues/session',
      })
      .then((outcome) => {
        if (!outcome.ok) {
          for (const [name, value] of Object.entries(outcome.headers)) res.setHeader(name, value);
          return deny(outcome.status, outcome.message);
        }
        if (!roleAllows(outcome.principal.role, 'admin'))
          return deny(
            403,
            `the queue inspector needs the admin role; token "${outcome.principal.tokenName}" has the ${outcome.principal.role} role`,
          );
        router(req, res, next);
      })
      .catch(next);
  });
}
