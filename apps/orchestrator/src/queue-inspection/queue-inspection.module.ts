import { Module } from '@nestjs/common';

import { QueueBoardController } from './queue-board.controller';
import { QueueBoardSessions } from './queue-board.sessions';
import { QueueInspector } from './queue-inspector.service';

/** Queue counts (for /metrics) and the read-only Bull Board at /admin/queues (admin only). */
@Module({
  controllers: [QueueBoardController],
  providers: [QueueInspector, QueueBoardSessions],
  exports: [QueueInspector, QueueBoardSessions],
})
export class QueueInspectionModule {}
