import { type DynamicModule, Global, Module } from '@nestjs/common';

import { type AppConfig } from './app-config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Makes the configuration validated in main.ts injectable everywhere as APP_CONFIG. */
@Global()
@Module({})
export class ConfigModule {
  public static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
