import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type Request } from 'express';
import { type Observable, tap } from 'rxjs';

import { InventoryReadCache } from './inventory-read-cache';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** After any successful change (committed by then), before its response: drop cached reads. */
@Injectable()
export class InvalidateOnWriteInterceptor implements NestInterceptor {
  public constructor(private readonly cache: InventoryReadCache) {}

  public intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !MUTATING.has(context.switchToHttp().getRequest<Request>().method))
      return next.handle();
    return next.handle().pipe(tap({ next: () => this.cache.invalidate(), error: () => this.cache.invalidate() }));
  }
}
