import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

import { type ApiRequest } from '../auth/principal';
import { type AuditContext } from './audit.service';

export interface AuditedRequest extends ApiRequest {
  auditRecorded?: boolean;
}

export function requestIdOf(request: ApiRequest): string | null {
  const id = request.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

export function auditContextOf(request: AuditedRequest): AuditContext {
  return {
    actor: request.principal?.tokenName ?? 'anonymous',
    role: request.principal?.role ?? null,
    requestId: requestIdOf(request),
    markRecorded: () => {
      request.auditRecorded = true;
    },
  };
}

/** Injects the AuditContext (actor = token name, request id) of the current request. */
export const Audit = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuditContext =>
  auditContextOf(ctx.switchToHttp().getRequest<AuditedRequest>()),
);
