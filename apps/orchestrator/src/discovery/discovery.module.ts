import { Module } from '@nestjs/common';

import { DiscoveryController } from './discovery.controller';
import { DiscoveryService } from './discovery.service';

/** Discovery runs (the SSH work itself is the worker's inventory.discover-host job). */
@Module({ controllers: [DiscoveryController], providers: [DiscoveryService] })
export class HostDiscoveryModule {}
