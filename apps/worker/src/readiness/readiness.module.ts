import { Module } from '@nestjs/common';

import { HostsModule } from '../hosts/hosts.module';
import { CheckHostReadinessHandler } from './check-host-readiness.handler';
import { ReadinessResultsStore } from './readiness-results.store';

/** Fleet readiness: the per-host SSH checks (the orchestrator schedules them and judges the rest). */
@Module({
  imports: [HostsModule],
  providers: [CheckHostReadinessHandler, ReadinessResultsStore],
})
export class FleetReadinessModule {}
