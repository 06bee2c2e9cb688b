import { Module } from '@nestjs/common';

import { HostPowerController } from './host-power.controller';
import { HostPowerService } from './host-power.service';

@Module({ controllers: [HostPowerController], providers: [HostPowerService] })
export class HostPowerModule {}
