import { Inject, Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import type { z } from 'zod';
import { ApiError, validationFailed, type FieldError } from './api-error';
import { ENDPOINT_KEY, WithStatus, type EndpointSpec } from './endpoint';

export const CHECK_RESPONSES = Symbol('CHECK_RESPONSES');

/** C0 controls and DEL. Tab, line feed and carriage return are text in a JSON body, never in a path or query. */
export const CONTROL_IN_BODY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
export const CONTROL_IN_URL = /[\u0000-\u001F\u007F]/;

/** `a.b[2].c` from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || 'body';
}

/** One FieldError per problem; unknown keys are named one by one. */
export function zodFieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldPath([...issue.path, key], prefix), message: 'is not a known field' }))
      : [{ field: fieldPath(issue.path, prefix), message: issue.message }],
  );
}

/** Names every string (and object key) in `value` that holds a control character. */
export function controlCharacterFields(value: unknown, field: string, pattern: RegExp, out: FieldError[] = []): FieldError[] {
  if (out.length >= 20) return out;
  if (typeof value === 'string') {
    if (pattern.test(value)) out.push({ field, message: 'must not contain control characters' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => controlCharacterFields(v, `${field}[${i}]`, pattern, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const child = field ? `${field}.${k}` : k;
      if (pattern.test(k)) out.push({ field: child, message: 'the key must not contain control characters' });
      else controlCharacterFields(v, child, pattern, out);
    }
  }
  return out;
}

/**
 * Validates each request against its endpoint's schemas before the handler runs (after authentication, so an
 * anonymous caller learns nothing about shapes) and hands the handler the parsed input. With CHECK_RESPONSES
 * (tests), every JSON response is checked against the spec's response schema: an undocumented shape is a 500.
 */
@Injectable()
export class EndpointInterceptor implements NestInterceptor {
  private readonly logger = new Logger('contract');

  constructor(
    private readonly reflector: Reflector,
    @Inject(CHECK_RESPONSES) private readonly checkResponses: boolean,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT_KEY, context.getHandler());
    if (!spec) return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { endpointInput?: unknown }>();
    req.endpointInput = this.parse(spec, req);
    const res = http.getResponse<Response>();
    // Checked where the JSON is written, so handlers that write their own response (a stream's JSON form) are checked too.
    if (this.checkResponses && spec.response) {
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        if (res.statusCode < 300) this.check(spec, body);
        return json(body);
      };
    }
    return next.handle().pipe(
      map((result: unknown) => {
        if (!(result instanceof WithStatus)) return result;
        res.status(result.status);
        return result.body;
      }),
    );
  }

  private parse(spec: EndpointSpec, req: Request): { params: unknown; query: unknown; body: unknown; idempotencyKey: string | undefined } {
    const errors: FieldError[] = [];
    const idempotencyKey = spec.idempotent ? req.get('idempotency-key') : undefined;
    if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 200)) errors.push({ field: 'Idempotency-Key', message: 'from 1 to 200 characters' });
    controlCharacterFields(req.params, '', CONTROL_IN_URL, errors);
    controlCharacterFields(req.query, '', CONTROL_IN_URL, errors);
    if (spec.body && hasBody(req) && !req.is('application/json')) {
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `send the body as application/json (got ${req.get('content-type') ?? 'no Content-Type'})`);
    }
    const charset = /;\s*charset="?([^";]+)/i.exec(req.get('content-type') ?? '')?.[1];
    if (spec.body && charset && !/^utf-?8$/i.test(charset)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `JSON bodies are UTF-8 (got charset ${charset})`);
    if (spec.body) controlCharacterFields(req.body, '', CONTROL_IN_BODY, errors);
    if (errors.length) throw validationFailed(errors);

    const params = spec.params ? spec.params.safeParse(req.params) : { success: true as const, data: {} };
    if (!params.success) {
      if (spec.notFound) throw new ApiError(`${spec.notFound}_NOT_FOUND`, `${spec.notFound.toLowerCase()} ${Object.values(req.params).join(' ')} was not found`);
      errors.push(...zodFieldErrors(params.error));
    }
    const query = spec.query ? spec.query.safeParse({ ...req.query }) : { success: true as const, data: {} };
    if (!query.success) errors.push(...zodFieldErrors(query.error));
    let body: { success: true; data: unknown } | { success: false; error: z.ZodError } = { success: true, data: undefined };
    if (spec.body) {
      const raw: unknown = req.body;
      const absent = raw === undefined || (spec.bodyOptional && isEmptyObject(raw) && !req.headers['content-length']);
      body = absent && spec.bodyOptional ? { success: true, data: undefined } : spec.body.safeParse(raw ?? {});
      if (!body.success) errors.push(...zodFieldErrors(body.error));
    }
    if (errors.length || !params.success || !query.success || !body.success) throw validationFailed(errors);
    return { params: params.data, query: query.data, body: body.data, idempotencyKey };
  }

  private check(spec: EndpointSpec, body: unknown): void {
    const result = spec.response!.safeParse(body);
    if (result.success) return;
    const fields = zodFieldErrors(result.error, 'response');
    this.logger.error(`${spec.method.toUpperCase()} ${spec.path} answered a shape its schema does not describe: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`);
    throw new ApiError('INTERNAL', 'the response does not match its documented schema', { fields });
  }
}

/** Whether the request carries a body at all (a length above zero, or a chunked one). */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
