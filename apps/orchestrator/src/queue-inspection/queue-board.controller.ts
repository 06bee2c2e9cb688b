import { Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Request, type Response } from 'express';

import { parseBearer } from '../auth/api-token.codec';
import { RequireRole } from '../auth/require-role.decorator';
import { QUEUE_BOARD_COOKIE, QUEUE_BOARD_SESSION_MS, QueueBoardSessions } from './queue-board.sessions';

@ApiTags('queues')
@Controller('admin/queues')
export class QueueBoardController {
  public constructor(private readonly sessions: QueueBoardSessions) {}

  @Post('session')
  @RequireRole('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Open the queue inspector (Bull Board, read-only) in this browser: sets an HttpOnly cookie for /admin/queues',
  })
  @ApiNoContentResponse()
  public open(@Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    const bearer = parseBearer(req.headers.authorization);
    if (!bearer.ok) return; // the guard already refused it
    const id = this.sessions.open(bearer.token);
    res.cookie(QUEUE_BOARD_COOKIE, id, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/admin/queues',
      maxAge: QUEUE_BOARD_SESSION_MS,
    });
  }
}
