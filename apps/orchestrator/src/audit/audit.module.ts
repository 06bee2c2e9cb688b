import { Global, Module } from '@nestjs/common';

import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditService } from './audit.service';

@Global()
@Module({
  controllers: [AuditController],
  // AuditInterceptor is put on every mutating route by createOrchestratorApp (see mutating-routes.ts).
  providers: [AuditService, AuditInterceptor],
  exports: [AuditService, AuditInterceptor],
})
export class AuditModule {}
