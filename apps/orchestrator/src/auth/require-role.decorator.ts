import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';

import { ApiErrorDto } from '../http/api-error.dto';
import { type Role } from './role';

export const REQUIRED_ROLE = 'nutfleet:required-role';

/**
 * The least role a token needs for this route (or every route of a controller). Without it,
 * GET/HEAD routes need viewer and every other method needs admin: a mutating route that forgot
 * to declare its role fails closed.
 */
export function RequireRole(role: Role): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    ApiForbiddenResponse({ type: ApiErrorDto, description: `The token's role is below ${role}` }),
  );
}
