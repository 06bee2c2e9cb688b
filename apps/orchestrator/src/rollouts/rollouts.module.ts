import { Module } from '@nestjs/common';

import { FleetSnapshotLoader } from '../plans/fleet-snapshot.loader';
import { VibMailModule } from '../vib-mail/vib-mail.module';
import { DesiredConfigController } from './desired-config.controller';
import { DesiredConfigService } from './desired-config.service';
import { DriftService } from './drift.service';
import { RolloutControlService } from './rollout-control.service';
import { RolloutEventsController } from './rollout-events.controller';
import { RolloutQueryService } from './rollout-query.service';
import { RolloutFactory } from './rollout.factory';
import { RolloutsController } from './rollouts.controller';

/**
 * Rollouts API, desired configuration and drift. Imported before the inventory module so
 * `GET /hosts/drift` is routed here, not to `GET /hosts/:id`.
 */
@Module({
  imports: [VibMailModule],
  controllers: [DesiredConfigController, RolloutEventsController, RolloutsController],
  providers: [
    FleetSnapshotLoader,
    DesiredConfigService,
    DriftService,
    RolloutFactory,
    RolloutQueryService,
    RolloutControlService,
  ],
  // Fleet readiness compares hosts with the same desired configuration and plan inputs.
  exports: [DesiredConfigService, FleetSnapshotLoader],
})
export class RolloutsModule {}
