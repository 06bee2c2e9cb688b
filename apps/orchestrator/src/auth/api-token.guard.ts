import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Response } from 'express';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';

import { ApiError } from '../http/api-error';
import { parseBearer } from './api-token.codec';
import { ApiTokenService } from './api-token.service';
import { AuthFailureThrottle } from './auth-failure.throttle';
import { type ApiRequest } from './principal';
import { PUBLIC_ROUTE } from './public.decorator';
import { REQUIRED_ROLE } from './require-role.decorator';
import { type Role, roleAllows } from './role';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const REASONS: Record<string, string> = {
  missing: 'missing bearer token: send "Authorization: Bearer <token>"',
  malformed: 'malformed Authorization header: expected "Bearer <token>"',
  unknown: 'invalid token',
  expired: 'token expired',
  revoked: 'token revoked',
};

/** The least role a route needs: declared with @RequireRole, else viewer to read, admin to change. */
export function requiredRole(declared: Role | undefined, method: string): Role {
  return declared ?? (READ_METHODS.has(method.toUpperCase()) ? 'viewer' : 'admin');
}

/**
 * Every route needs a valid API token unless marked @Public(). Failed attempts are counted per
 * client address; past the limit the address gets 429 until the window has passed, whatever it
 * sends (a correct guess must not get through either).
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  private readonly throttle: AuthFailureThrottle;

  public constructor(
    private readonly reflector: Reflector,
    private readonly tokens: ApiTokenService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.throttle = new AuthFailureThrottle({
      maxFailures: config.auth.failureLimit,
      windowMs: config.auth.failureWindowMs,
    });
  }

  public async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<ApiRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const client = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    const now = Date.now();

    const wait = this.throttle.retryAfterSeconds(client, now);
    if (wait > 0) {
      response.setHeader('Retry-After', String(wait));
      throw new ApiError(429, `too many failed authentications from this address: retry in ${wait} s`);
    }

    const bearer = parseBearer(request.headers.authorization);
    if (!bearer.ok) throw this.unauthorized(response, client, now, bearer.reason);
    const result = await this.tokens.authenticate(bearer.token, now);
    if (!result.ok) throw this.unauthorized(response, client, now, result.reason);

    request.principal = result.principal;
    const needed = requiredRole(this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets), request.method);
    if (!roleAllows(result.principal.role, needed)) {
      throw new ApiError(
        403,
        `this action needs the ${needed} role; token "${result.principal.tokenName}" has the ${result.principal.role} role`,
      );
    }
    return true;
  }

  private unauthorized(response: Response, client: string, now: number, reason: string): ApiError {
    this.throttle.recordFailure(client, now);
    const description = REASONS[reason] ?? 'invalid token';
    // RFC 6750: no error code when no credentials were sent at all.
    response.setHeader(
      'WWW-Authenticate',
      reason === 'missing'
        ? 'Bearer realm="nutfleet"'
        : `Bearer realm="nutfleet", error="invalid_token", error_description="${description}"`,
    );
    return new ApiError(401, description);
  }
}
