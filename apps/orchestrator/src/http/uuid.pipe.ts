import { ParseUUIDPipe } from '@nestjs/common';

import { ApiError } from './api-error';

/** Path ids are UUIDs; anything else is a 400 naming the parameter, not a database error. */
export function uuidPipe(field: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => ApiError.fields(400, [{ field, reason: 'must be a UUID' }]),
  });
}
