import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError } from './api-error';

const CODES_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/** Every error leaves as the envelope in API.md; unexpected ones as INTERNAL, without a stack trace. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const error = this.toApiError(exception);
    if (error.status >= 500 && error.code === 'INTERNAL') {
      this.logger.error(`${req.method} ${req.originalUrl}: ${exception instanceof Error ? exception.stack : String(exception)}`);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(error.status).json({ error: { code: error.code, message: error.message, details: error.details } });
  }

  private toApiError(exception: unknown): ApiError {
    if (exception instanceof ApiError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      return new ApiError(status, CODES_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'), Array.isArray(message) ? message.join('; ') : String(message));
    }
    const typed = exception as { type?: string; status?: number; code?: string; message?: string };
    if (typed?.type === 'entity.parse.failed') return new ApiError(400, 'VALIDATION_FAILED', 'request body is not valid JSON', { fields: [{ field: 'body', message: 'not valid JSON' }] });
    if (typed?.type === 'entity.too.large' || typed?.code === 'LIMIT_FILE_SIZE') return new ApiError(413, 'PAYLOAD_TOO_LARGE', typed.message ?? 'payload too large');
    return new ApiError(500, 'INTERNAL', 'internal error');
  }
}
