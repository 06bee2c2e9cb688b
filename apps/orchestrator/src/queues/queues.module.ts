import { Global, Module } from '@nestjs/common';

import { JobProducer } from './job-producer.service';
import { MaintenanceScheduler } from './maintenance.scheduler';

@Global()
@Module({ providers: [JobProducer, MaintenanceScheduler], exports: [JobProducer] })
export class QueuesModule {}
