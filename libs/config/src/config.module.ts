import { type DynamicModule, Global, Module } from '@nestjs/common';

import { type AppConfig } from './app-config';
import { TargetNetworks } from './target-networks';

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Makes the configuration validated in main.ts injectable everywhere as APP_CONFIG, and the
 * target allow-list (ALLOWED_TARGET_NETWORKS) as TargetNetworks.
 */
@Global()
@Module({})
export class ConfigModule {
  public static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: TargetNetworks, useValue: new TargetNetworks(config.allowedTargetNetworks) },
      ],
      exports: [APP_CONFIG, TargetNetworks],
    };
  }
}
