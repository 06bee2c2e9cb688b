import { Module } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';

import { MemoizingValidationPipe } from './memoizing-validation.pipe';
import { validationException } from './validation-errors';

/**
 * Global request validation (unknown fields refused; repeated query strings validated once, see
 * MemoizingValidationPipe). The error filter is installed with
 * app.useGlobalFilters in orchestrator.app.ts: only that way does it also see the errors of
 * body parsing and unknown routes, which happen outside any controller.
 */
@Module({
  providers: [
    {
      provide: APP_PIPE,
      useValue: new MemoizingValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        transform: true,
        forbidUnknownValues: true,
        stopAtFirstError: true,
        validationError: { target: false, value: false },
        exceptionFactory: validationException,
      }),
    },
  ],
})
export class HttpErrorsModule {}
