import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { from, mergeMap, type Observable } from 'rxjs';

import { type AuditedRequest, auditContextOf } from './audit-context.decorator';
import { AuditService } from './audit.service';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Guarantees that every successful mutating call leaves an audit entry: handlers record a precise
 * one (with before/after) in their transaction; for a handler that did not, this records the
 * route, the path parameters and the actor once the handler has succeeded.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  public constructor(private readonly audit: AuditService) {}

  public intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    if (!MUTATING.has(request.method) || !request.principal) return next.handle();
    return next.handle().pipe(
      mergeMap((result: unknown) => {
        if (request.auditRecorded) return from([result]);
        const route = (request.route as { path?: string } | undefined)?.path ?? request.path;
        const resourceType = route.split('/').filter(Boolean)[0] ?? 'unknown';
        const params = request.params as Record<string, string>;
        return from(
          this.audit
            .recordNow(auditContextOf(request), {
              action: `${request.method} ${route}`,
              resourceType,
              resourceId: params.id ?? null,
              after: { params },
            })
            .then(() => result),
        );
      }),
    );
  }
}
