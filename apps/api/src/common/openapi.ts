import { OpenAPIRegistry, OpenApiGeneratorV3, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { EndpointSpec } from './endpoint';
import { ERROR_CODES, type ErrorCode } from './error-codes';
import { ErrorEnvelope } from './schemas';

const AUTH_ERRORS: ErrorCode[] = ['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED'];

/** The OpenAPI 3.0 document of the given endpoints: what /docs shows and /docs-json serves to client generators. */
export function buildOpenApiDocument(endpoints: readonly EndpointSpec[]) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'an API token: Authorization: Bearer <token>' });

  for (const spec of endpoints) {
    const errors = new Set<ErrorCode>(spec.errors);
    if (spec.role !== 'public') AUTH_ERRORS.forEach((c) => errors.add(c));
    // Control characters in a path parameter are refused by name too, so every route with input can answer 400.
    if (spec.params || spec.query || spec.body || spec.bodyContent) errors.add('VALIDATION_FAILED');
    // Any body is read before the route runs: one that is not JSON, too large or in an unknown encoding is refused there.
    if (spec.method !== 'get') ['VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'].forEach((c) => errors.add(c as ErrorCode));
    if (spec.notFound) errors.add(`${spec.notFound}_NOT_FOUND`);
    errors.add('INTERNAL');

    const responses: RouteConfig['responses'] = {};
    const success: NonNullable<RouteConfig['responses']>[string] = { description: spec.responseDescription };
    const content: Record<string, { schema: z.ZodType }> = {};
    if (spec.response) content['application/json'] = { schema: spec.response };
    for (const [type, p] of Object.entries(spec.produces ?? {})) content[type] = { schema: p.schema ?? z.string().meta({ format: 'binary', description: p.description }) };
    if (Object.keys(content).length) success.content = content;
    responses[spec.status] = success;
    for (const status of spec.alsoStatus ?? []) responses[status] = { ...success, description: `${spec.responseDescription} (a replay of an earlier request with the same Idempotency-Key)` };
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of errors) byStatus.set(ERROR_CODES[code].status, [...(byStatus.get(ERROR_CODES[code].status) ?? []), code]);
    for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
      responses[status] = { description: codes.map((c) => `${c}: ${ERROR_CODES[c].meaning}`).join('\n\n'), content: { 'application/json': { schema: ErrorEnvelope } } };
    }

    const request: RouteConfig['request'] = {};
    if (spec.params) request.params = spec.params;
    if (spec.query) request.query = spec.query;
    if (spec.idempotent) {
      request.headers = z.object({
        'Idempotency-Key': z.string().min(1).max(200).optional().meta({ description: 'the same key with the same body returns the first result (200); with another body 409 IDEMPOTENCY_CONFLICT' }),
      });
    }
    if (spec.body) request.body = { required: !spec.bodyOptional, content: { 'application/json': { schema: spec.body } } };
    if (spec.bodyContent) request.body = { required: true, content: spec.bodyContent };

    registry.registerPath({
      method: spec.method,
      path: spec.path,
      tags: [spec.tag],
      summary: spec.summary,
      description: spec.description,
      operationId: operationId(spec),
      security: spec.role === 'public' ? [] : [{ [bearer.name]: [] }],
      ...(spec.role !== 'public' ? { 'x-min-role': spec.role } : {}),
      request,
      responses,
    });
  }

  const document = new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: 'Trainyard', version: '1', description: 'Training jobs, datasets and models. Every /v1 path takes a bearer token; another tenant’s resource is a 404.' },
    security: [{ bearer: [] }],
  });
  pinNullMembers(document);
  return document;
}

/**
 * zod-to-openapi writes a nullable union as `anyOf: [..., { nullable: true }]`. In OpenAPI 3.0 a member without a
 * type admits any value, so client generators typed the whole union as unknown; `enum: [null]` admits only null.
 */
export function pinNullMembers(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      value.forEach((member, i) => {
        if (member && typeof member === 'object' && Object.keys(member).length === 1 && (member as { nullable?: unknown }).nullable === true) value[i] = { nullable: true, enum: [null] };
      });
    }
    pinNullMembers(value);
  }
}

/** `GET /v1/training-jobs/{id}/logs` → `getTrainingJobsIdLogs`, unique and stable for client generators. */
function operationId(spec: EndpointSpec): string {
  const words = spec.path
    .split('/')
    .filter((p) => p && p !== 'v1')
    .map((p) => p.replace(/[{}]/g, ''))
    .flatMap((p) => p.split(/[-_]/));
  return spec.method + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}
