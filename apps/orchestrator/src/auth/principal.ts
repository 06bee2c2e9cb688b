import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Request } from 'express';

import { type Role } from './role';

/** Who is calling: the API token that authenticated the request. */
export interface Principal {
  tokenId: string;
  tokenName: string;
  role: Role;
}

/** An Express request once the guard has run (pino-http adds `id`, the request id). */
export interface ApiRequest extends Request {
  principal?: Principal;
}

export function principalOf(request: ApiRequest): Principal | undefined {
  return request.principal;
}

/** The principal of a request behind the guard (a @Public route has none: a programming error). */
export function principalOrThrow(request: ApiRequest): Principal {
  if (!request.principal) throw new Error('no authenticated principal on this request');
  return request.principal;
}

/** Injects the authenticated principal into a handler parameter. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<ApiRequest>().principal;
  // Only reachable on a @Public() route, where asking for a principal is a programming error.
  if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return principal;
});
