import { Module } from '@nestjs/common';

import { PowerCycleTestService } from './power-cycle-test.service';
import { UpsPowerCycleController } from './power-cycle.controller';
import { UpsPowerCycleService } from './ups-power-cycle.service';

/** Per-UPS power-cycle settings (admin) and their test against the NUT server. */
@Module({
  controllers: [UpsPowerCycleController],
  providers: [UpsPowerCycleService, PowerCycleTestService],
})
export class PowerCycleModule {}
