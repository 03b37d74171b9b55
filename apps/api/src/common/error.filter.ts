import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { DriverException } from '@mikro-orm/core';
import { MlError } from '@trainyard/ml';
import type { NextFunction, Request, Response } from 'express';
import { ApiError, fromMlError } from './api-error';
import { CODE_BY_STATUS } from './error-codes';

/** Body-parser and multer errors: they carry a 4xx status and a `type`, and say nothing about the caller's data. */
interface HttpErrorLike {
  type?: string;
  status?: number;
  statusCode?: number;
  code?: string;
  message?: string;
  expose?: boolean;
}

const BODY_ERRORS: Record<string, (e: HttpErrorLike) => ApiError> = {
  'entity.parse.failed': () => new ApiError('VALIDATION_FAILED', 'request body is not valid JSON', { fields: [{ field: 'body', message: 'not valid JSON' }] }),
  'entity.too.large': (e) => new ApiError('PAYLOAD_TOO_LARGE', e.message ?? 'payload too large'),
  'encoding.unsupported': (e) => new ApiError('UNSUPPORTED_MEDIA_TYPE', e.message ?? 'unsupported Content-Encoding'),
  'charset.unsupported': (e) => new ApiError('UNSUPPORTED_MEDIA_TYPE', e.message ?? 'unsupported charset'),
};

/**
 * Every error leaves as the envelope in API.md; unexpected ones as INTERNAL, without a stack trace in the body.
 * The log never carries bound values: a database error is logged by its class, SQLSTATE and the object it hit,
 * never by its message (the driver's message embeds the statement with its parameters).
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const error = toApiError(exception);
    if (error.code === 'INTERNAL') this.logger.error(`${req.method} ${req.route?.path ?? req.path}: ${describeForLog(exception)}`);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(error.status).json({ error: { code: error.code, message: error.message, details: error.details } });
  }
}

/** Express error middleware for the body parser: a body it cannot read is the caller's problem, answered as one. */
export function bodyParserErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const error = toApiError(err);
  if (error.code === 'INTERNAL' || res.headersSent) return next(err);
  res.status(error.status).json({ error: { code: error.code, message: error.message, details: error.details } });
}

export function toApiError(exception: unknown): ApiError {
  if (exception instanceof ApiError) return exception;
  if (exception instanceof MlError) return fromMlError(exception);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
    return new ApiError(CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED'), Array.isArray(message) ? message.join('; ') : String(message));
  }
  const typed = (exception ?? {}) as HttpErrorLike;
  if (typed.type && BODY_ERRORS[typed.type]) return BODY_ERRORS[typed.type](typed);
  if (typed.code === 'LIMIT_FILE_SIZE') return new ApiError('PAYLOAD_TOO_LARGE', typed.message ?? 'payload too large');
  // Other body-parser failures (a gzip body that does not inflate, a length that does not match) are the caller's.
  const status = typed.status ?? typed.statusCode;
  if (!isDatabaseError(exception) && typeof status === 'number' && status >= 400 && status < 500) {
    return new ApiError(CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED', typed.expose && typed.message ? typed.message : 'the request body could not be read', {
      fields: [{ field: 'body', message: typed.type ?? 'unreadable' }],
    });
  }
  return new ApiError('INTERNAL', 'internal error');
}

/** A driver error, converted by the ORM or raw from pg (raw SQL is not converted): its message embeds the statement. */
function isDatabaseError(exception: unknown): exception is Error {
  if (exception instanceof DriverException) return true;
  const e = exception as { severity?: unknown; code?: unknown } | null;
  return exception instanceof Error && typeof e?.severity === 'string' && typeof e.code === 'string';
}

/** What the log may say about an unexpected error. */
export function describeForLog(exception: unknown): string {
  if (isDatabaseError(exception)) {
    const pg = exception as Error & { code?: string; table?: string; column?: string; constraint?: string; routine?: string };
    const where = [pg.table && `table ${pg.table}`, pg.column && `column ${pg.column}`, pg.constraint && `constraint ${pg.constraint}`, pg.routine && `routine ${pg.routine}`].filter(Boolean);
    return `${pg.name} (SQLSTATE ${pg.code ?? 'unknown'})${where.length ? ` at ${where.join(', ')}` : ''}`;
  }
  return exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
}
