import { Module } from '@nestjs/common';

import { ProtectionModule } from '../protection/protection.module';
import { VibMailModule } from '../vib-mail/vib-mail.module';
import { AdoptionController } from './adoption/adoption.controller';
import { AdoptionService } from './adoption/adoption.service';
import { InvalidateOnWriteInterceptor } from './common/invalidate-on-write.interceptor';
import { InventoryReadCache } from './common/inventory-read-cache';
import { FleetController } from './fleet/fleet.controller';
import { FleetSummaryService } from './fleet/fleet-summary.service';
import { GroupController } from './groups/group.controller';
import { GroupService } from './groups/group.service';
import { HostExportService } from './host-transfer/host-export.service';
import { HostImportService } from './host-transfer/host-import.service';
import { HostTransferController } from './host-transfer/host-transfer.controller';
import { HostController } from './hosts/host.controller';
import { HostReader } from './hosts/host.reader';
import { HostService } from './hosts/host.service';
import { NutServerController } from './nut-servers/nut-server.controller';
import { NutServerPresetsController } from './nut-servers/nut-server-presets.controller';
import { NutServerService } from './nut-servers/nut-server.service';
import { PolicyController } from './policies/policy.controller';
import { PolicyService } from './policies/policy.service';
import { PowerFeedController } from './power-feeds/power-feed.controller';
import { PowerFeedService } from './power-feeds/power-feed.service';
import { UpsController } from './upses/ups.controller';
import { UpsService } from './upses/ups.service';

/** The fleet inventory REST API: NUT servers, UPSes, groups, policies, hosts, power feeds. */
@Module({
  imports: [ProtectionModule, VibMailModule],
  controllers: [
    NutServerController,
    NutServerPresetsController,
    UpsController,
    GroupController,
    PolicyController,
    // Before HostController: /hosts/import and /hosts/export must win over /hosts/:id.
    HostTransferController,
    HostController,
    PowerFeedController,
    FleetController,
    AdoptionController,
  ],
  providers: [
    InventoryReadCache,
    // Put on every mutating route by createOrchestratorApp (see mutating-routes.ts).
    InvalidateOnWriteInterceptor,
    NutServerService,
    UpsService,
    GroupService,
    PolicyService,
    HostReader,
    HostService,
    HostImportService,
    HostExportService,
    PowerFeedService,
    FleetSummaryService,
    AdoptionService,
  ],
  exports: [HostReader, HostService, InventoryReadCache, InvalidateOnWriteInterceptor],
})
export class InventoryModule {}
