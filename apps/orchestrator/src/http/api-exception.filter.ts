import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { type Response } from 'express';

import { isDatabaseUnavailableError } from '@nutfleet/db';

import { ApiError, type ApiErrorBody, databaseUnavailable, reasonPhrase, RetryLaterError } from './api-error';
import { apiErrorFromPrisma } from './prisma-errors';

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
}

function isBodyParserError(error: unknown): error is Error & BodyParserError {
  return error instanceof Error && typeof (error as BodyParserError).type === 'string' && 'status' in error;
}

/** Gives every error the one API shape `{ statusCode, error, message, fields? }`. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');
  private lastUnavailableLog = 0;

  public catch(thrown: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    // PostgreSQL down or every connection busy: 503 with Retry-After, never a 500.
    const exception = isDatabaseUnavailableError(thrown) ? this.unavailable(thrown) : thrown;
    const body = this.toBody(exception);
    if (exception instanceof RetryLaterError && !response.headersSent)
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (body.statusCode >= 500 && body.statusCode !== 503) {
      // The cause goes to the log (which is redacted), never to the client.
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  private unavailable(cause: unknown): RetryLaterError {
    const now = Date.now();
    // One line per burst, not one per refused request.
    if (now - this.lastUnavailableLog > 5000) {
      this.lastUnavailableLog = now;
      this.logger.warn(
        `database unavailable, answering 503: ${cause instanceof Error ? cause.message.slice(0, 300) : String(cause)}`,
      );
    }
    return databaseUnavailable();
  }

  private toBody(exception: unknown): ApiErrorBody {
    const fromDb = apiErrorFromPrisma(exception);
    if (fromDb) {
      // Reaching the database with a bad value means a route validates too little: say so.
      this.logger.warn(
        `database refused a request: ${exception instanceof Error ? exception.message.slice(0, 2000) : String(exception)}`,
      );
      return fromDb.getResponse() as ApiErrorBody;
    }
    if (exception instanceof HttpException)
      return this.fromNestBadRequest(exception) ?? this.fromHttpException(exception);
    if (isBodyParserError(exception)) return this.fromBodyParser(exception);
    return { statusCode: 500, error: reasonPhrase(500), message: 'internal error (logged on the server)' };
  }

  private fromHttpException(exception: HttpException): ApiErrorBody {
    const status = exception.getStatus();
    const raw = exception.getResponse();
    if (typeof raw === 'object' && raw !== null && 'message' in raw && 'statusCode' in raw && 'error' in raw) {
      const candidate = raw as { message: unknown; fields?: unknown };
      if (typeof candidate.message === 'string') return raw as ApiErrorBody;
      if (Array.isArray(candidate.message))
        return { statusCode: status, error: reasonPhrase(status), message: candidate.message.join('; ') };
    }
    const message = typeof raw === 'string' ? raw : exception.message;
    return { statusCode: status, error: reasonPhrase(status), message };
  }

  private fromNestBadRequest(exception: HttpException): ApiErrorBody | undefined {
    // Nest turns body-parser's SyntaxError into a plain BadRequestException carrying the parser's
    // message ("Unexpected end of JSON input"): say what it is about.
    if (exception instanceof ApiError || exception.getStatus() !== 400 || !/JSON/.test(exception.message))
      return undefined;
    return { statusCode: 400, error: reasonPhrase(400), message: `malformed JSON body: ${exception.message}` };
  }

  private fromBodyParser(error: Error & BodyParserError): ApiErrorBody {
    const status = error.status ?? error.statusCode ?? 400;
    const message =
      error.type === 'entity.parse.failed'
        ? `malformed JSON body: ${error.message}`
        : error.type === 'entity.too.large'
          ? 'request body too large'
          : error.type === 'encoding.unsupported' || error.type === 'charset.unsupported'
            ? `unsupported body encoding: ${error.message}`
            : error.message;
    return { statusCode: status >= 400 && status < 500 ? status : 400, error: reasonPhrase(status), message };
  }
}
