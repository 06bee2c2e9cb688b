import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Response } from 'express';

import { ApiError } from '../http/api-error';
import { type ApiRequest } from './principal';
import { PUBLIC_ROUTE } from './public.decorator';
import { RequestAuthenticator } from './request-authenticator';
import { REQUIRED_ROLE } from './require-role.decorator';
import { type Role, roleAllows } from './role';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The least role a route needs: declared with @RequireRole, else viewer to read, admin to change. */
export function requiredRole(declared: Role | undefined, method: string): Role {
  return declared ?? (READ_METHODS.has(method.toUpperCase()) ? 'viewer' : 'admin');
}

/**
 * Every route needs a valid API token unless marked @Public() (see RequestAuthenticator for the
 * throttling of failures), and the role the route asks for.
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  public constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  public async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<ApiRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const outcome = await this.authenticator.authenticate(request);
    if (!outcome.ok) {
      for (const [name, value] of Object.entries(outcome.headers)) response.setHeader(name, value);
      throw new ApiError(outcome.status, outcome.message);
    }
    request.principal = outcome.principal;
    const needed = requiredRole(this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets), request.method);
    if (!roleAllows(outcome.principal.role, needed)) {
      throw new ApiError(
        403,
        `this action needs the ${needed} role; token "${outcome.principal.tokenName}" has the ${outcome.principal.role} role`,
      );
    }
    return true;
  }
}
