import { Module } from '@nestjs/common';

import { EsxiHostPoolProvider } from './esxi-host-pool.provider';
import { HostConnector } from './host-connector';
import { HostSessionWarmer } from './host-session.warmer';

/** SSH access to hosts for every job handler: the pool, the trust-checking connector, the warm-up. */
@Module({ providers: [EsxiHostPoolProvider, HostConnector, HostSessionWarmer], exports: [HostConnector] })
export class HostsModule {}
