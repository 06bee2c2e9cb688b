import { Module } from '@nestjs/common';

import { EsxiHostPoolProvider } from './esxi-host-pool.provider';
import { HostConnector } from './host-connector';

/** SSH access to hosts for every job handler: the pool and the trust-checking connector. */
@Module({ providers: [EsxiHostPoolProvider, HostConnector], exports: [HostConnector] })
export class HostsModule {}
