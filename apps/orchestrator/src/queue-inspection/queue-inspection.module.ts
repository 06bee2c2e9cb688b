import { Module } from '@nestjs/common';

import { QueueInspector } from './queue-inspector.service';

@Module({ providers: [QueueInspector], exports: [QueueInspector] })
export class QueueInspectionModule {}
