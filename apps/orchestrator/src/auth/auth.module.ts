import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

import { ApiTokenController } from './api-token.controller';
import { ApiTokenGuard } from './api-token.guard';
import { ApiTokenService } from './api-token.service';
import { EventStreams } from './event-streams';
import { RequestAuthenticator } from './request-authenticator';

/** Bearer-token authentication and roles for every route (see ApiTokenGuard). */
@Global()
@Module({
  controllers: [ApiTokenController],
  providers: [ApiTokenService, RequestAuthenticator, EventStreams, { provide: APP_GUARD, useClass: ApiTokenGuard }],
  exports: [ApiTokenService, RequestAuthenticator, EventStreams],
})
export class AuthModule {}
