import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { type INestApplication } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';

import { parseBearer } from '../auth/api-token.codec';
import { ApiTokenService } from '../auth/api-token.service';
import { roleAllows } from '../auth/role';
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
 * POST /admin/queues/session) before anything of Bull Board's is reached.
 */
export function mountQueueBoard(app: INestApplication): void {
  const inspector = app.get(QueueInspector);
  const tokens = app.get(ApiTokenService);
  const sessions = app.get(QueueBoardSessions);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: [...inspector.queues.values()].map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'nutfleet queues' } },
  });
  const router = serverAdapter.getRouter() as (req: Request, res: Response, next: NextFunction) => void;
  app.use(QUEUE_BOARD_PATH, (req: Request, res: Response, next: NextFunction) => {
    // The session exchange itself is a Nest route behind the guard.
    if (req.path === '/session') return next();
    const bearer = parseBearer(req.headers.authorization);
    const sessionId = cookie(req, QUEUE_BOARD_COOKIE);
    const token = bearer.ok ? bearer.token : sessionId === undefined ? null : sessions.token(sessionId);
    const deny = (status: number, message: string): void => {
      res
        .status(status)
        .type('application/json')
        .send(JSON.stringify({ statusCode: status, error: status === 401 ? 'Unauthorized' : 'Forbidden', message }));
    };
    if (token === null)
      return deny(
        401,
        'the queue inspector needs an admin token (bearer) or a session from POST /admin/queues/session',
      );
    tokens
      .authenticate(token)
      .then((result) => {
        if (!result.ok) return deny(401, 'invalid token');
        if (!roleAllows(result.principal.role, 'admin'))
          return deny(
            403,
            `the queue inspector needs the admin role; token "${result.principal.tokenName}" has the ${result.principal.role} role`,
          );
        router(req, res, next);
      })
      .catch(next);
  });
}
