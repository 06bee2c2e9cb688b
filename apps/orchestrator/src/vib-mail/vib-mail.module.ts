import { Module } from '@nestjs/common';

import { VibMailSettingsController } from './vib-mail.controller';
import { VibMailSettingsService } from './vib-mail.service';

/** The NutClient VIB's own mail settings (fleet default, group overrides), read by the desired configuration. */
@Module({
  controllers: [VibMailSettingsController],
  providers: [VibMailSettingsService],
  exports: [VibMailSettingsService],
})
export class VibMailModule {}
