import { Module } from '@nestjs/common';

import { HostKeyScanner } from './host-key-scanner';
import { HostTrustController } from './host-trust.controller';
import { HostTrustService } from './host-trust.service';

@Module({ controllers: [HostTrustController], providers: [HostKeyScanner, HostTrustService] })
export class HostTrustModule {}
