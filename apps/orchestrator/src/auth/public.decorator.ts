import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const PUBLIC_ROUTE = 'nutfleet:public';
/** OpenAPI marker read by buildOpenApiDocument to drop the bearer requirement of public routes. */
export const PUBLIC_OPENAPI_EXTENSION = 'x-nutfleet-public';

/** The route (or every route of the controller) answers without a token: probes, liveness. */
export function Public(): ClassDecorator & MethodDecorator {
  return applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension(PUBLIC_OPENAPI_EXTENSION, true));
}
