import { Module } from '@nestjs/common';

import { FleetSnapshotLoader } from '../plans/fleet-snapshot.loader';
import { DesiredConfigService } from '../rollouts/desired-config.service';
import { DriftService } from '../rollouts/drift.service';
import { VibMailModule } from '../vib-mail/vib-mail.module';
import { HostProtectionLoader } from './host-protection.loader';
import { HostProtectionService } from './host-protection.service';

/** Which hosts nutfleet could not protect now: read by the shutdown preview, the dry-run and the fleet summary. */
@Module({
  imports: [VibMailModule],
  providers: [FleetSnapshotLoader, DesiredConfigService, DriftService, HostProtectionLoader, HostProtectionService],
  exports: [HostProtectionService, DesiredConfigService],
})
export class ProtectionModule {}
