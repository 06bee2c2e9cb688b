import { Module } from '@nestjs/common';

import { PlanStoreModule } from '../plans/plan-store.module';
import { EsxiHostPoolProvider } from './esxi-host-pool.provider';
import { HostConnector } from './host-connector';
import { HostReturnProbe } from './host-return.probe';
import { HostSessionWarmer } from './host-session.warmer';

/**
 * SSH access to hosts for every job handler: the pool, the trust-checking connector, the warm-up;
 * and the probe that sees hosts known off come back.
 */
@Module({
  imports: [PlanStoreModule],
  providers: [EsxiHostPoolProvider, HostConnector, HostSessionWarmer, HostReturnProbe],
  exports: [HostConnector],
})
export class HostsModule {}
