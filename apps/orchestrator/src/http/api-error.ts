import { HttpException, HttpStatus } from '@nestjs/common';

export interface FieldError {
  field: string;
  reason: string;
}

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  fields?: FieldError[];
}

const REASON_PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** An HTTP error whose body already has the API's error shape. */
export class ApiError extends HttpException {
  public constructor(status: number, message: string, fields?: FieldError[], options?: { cause?: unknown }) {
    const body: ApiErrorBody = { statusCode: status, error: reasonPhrase(status), message };
    if (fields && fields.length > 0) body.fields = fields;
    super(body, status, options);
  }

  public static badRequest(message: string, fields?: FieldError[]): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, message, fields);
  }

  public static notFound(resource: string, id: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, `${resource} ${id} does not exist`);
  }

  public static conflict(field: string, reason: string): ApiError {
    return new ApiError(HttpStatus.CONFLICT, `${field}: ${reason}`, [{ field, reason }]);
  }

  /** A reference in the body (group, policy, UPS...) names a row that does not exist. */
  public static unknownReference(field: string, reason: string): ApiError {
    return new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, `${field}: ${reason}`, [{ field, reason }]);
  }

  public static fields(status: number, fields: FieldError[]): ApiError {
    return new ApiError(status, fields.map((f) => `${f.field}: ${f.reason}`).join('; '), fields);
  }
}

/**
 * Refused for now, not for good (429, 503): the client should try again after `retryAfterSeconds`,
 * sent as Retry-After by the error filter.
 */
export class RetryLaterError extends ApiError {
  public constructor(
    status: 429 | 503,
    message: string,
    public readonly retryAfterSeconds: number,
  ) {
    super(status, message);
  }
}

/** Seconds a client is told to wait when PostgreSQL is unreachable or every connection is busy. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function databaseUnavailable(): RetryLaterError {
  return new RetryLaterError(
    503,
    'the database is unavailable or busy right now; nothing was changed by this request unless it says otherwise: retry shortly',
    DATABASE_RETRY_AFTER_SECONDS,
  );
}
