import { applyDecorators, createParamDecorator, HttpCode, RequestMapping, RequestMethod, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@trainyard/db';
import { z } from 'zod';
import { MinRole, Public } from '../auth/roles.decorator';
import type { ErrorCode, Resource } from './error-codes';
import { IdParams, PageQuery, pageOf } from './schemas';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One route's whole contract: where it lives, who may call it, the schemas of its path parameters, query, body and
 * response, and the errors it answers with. `@Endpoint(spec)` maps the handler and the EndpointInterceptor validates
 * every request against it (and, in tests, every response); the OpenAPI document is generated from the same specs.
 */
export interface EndpointSpec {
  method: Method;
  /** The OpenAPI path, e.g. `/v1/training-jobs/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** The least role, or `public` for routes that need no token. */
  role: Role | 'public';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A body that may be left out entirely (parsed as `undefined`). */
  bodyOptional?: boolean;
  /** Bodies that are not JSON (multipart uploads) are read by the handler; this documents them. */
  bodyContent?: Record<string, { schema: z.ZodType; description?: string }>;
  /** Takes an `Idempotency-Key` header: a replay answers with the first response. */
  idempotent?: boolean;
  /** A malformed path id means the resource does not exist: `<RESOURCE>_NOT_FOUND`, never 400. */
  notFound?: Resource;
  status: number;
  responseDescription: string;
  /** The JSON response; `null` when the route answers without a body. */
  response: z.ZodType | null;
  /** Other statuses a successful call may answer with (an idempotent replay's 200). */
  alsoStatus?: number[];
  /** Non-JSON responses (streams, files), documented but not checked. */
  produces?: Record<string, { schema?: z.ZodType; description: string }>;
  errors: ErrorCode[];
}

/** Keeps the literal types of a spec, so handlers can name their input type. */
export function endpoint<const S extends EndpointSpec>(spec: S): S {
  return spec;
}

type Described = Pick<EndpointSpec, 'path' | 'tag' | 'summary' | 'description'>;

/** A POST that creates: it takes an Idempotency-Key and answers 201, or 200 when it replays the first answer. */
export function createEndpoint<const S extends Described & Pick<EndpointSpec, 'role' | 'body' | 'bodyContent' | 'response' | 'responseDescription' | 'errors'>>(spec: S) {
  return endpoint({ ...spec, method: 'post', idempotent: true, status: 201, alsoStatus: [200], errors: [...spec.errors, 'IDEMPOTENCY_CONFLICT'] });
}

/** A GET of one page of `item`: PageQuery unless the spec gives a query of its own (an extension of it). */
export function listEndpoint<const S extends Described & Partial<Pick<EndpointSpec, 'role' | 'params' | 'notFound' | 'errors'>> & { query?: z.ZodObject; item: z.ZodType }>(spec: S) {
  const { item, ...rest } = spec;
  const query = (spec.query ?? PageQuery) as S['query'] extends z.ZodObject ? S['query'] : typeof PageQuery;
  return endpoint({ method: 'get', role: 'viewer', status: 200, responseDescription: 'a page', response: pageOf(item), errors: [], ...rest, query });
}

/** A route about one resource named by its `{id}`: a malformed or unknown id is `<RESOURCE>_NOT_FOUND`. */
export function byIdEndpoint<const S extends Omit<EndpointSpec, 'params' | 'notFound'> & { resource: Resource }>(spec: S) {
  const { resource, ...rest } = spec;
  return endpoint({ ...rest, params: IdParams, notFound: resource, errors: [`${resource}_NOT_FOUND`, ...spec.errors] });
}

type Out<T> = T extends z.ZodType ? z.output<T> : Record<string, never>;

/** What a handler receives: its path parameters, query and body, parsed by the spec's schemas. */
export interface Input<S extends EndpointSpec> {
  params: Out<S['params']>;
  query: Out<S['query']>;
  body: S['body'] extends z.ZodType ? (S['bodyOptional'] extends true ? z.output<S['body']> | undefined : z.output<S['body']>) : undefined;
  /** The `Idempotency-Key` header, on idempotent routes. */
  idempotencyKey: string | undefined;
}

/** The response a handler returns, with the status to answer (an idempotent replay answers 200 instead of 201). */
export class WithStatus<T> {
  constructor(
    readonly status: number,
    readonly body: T,
  ) {}
}

export const ENDPOINT_KEY = 'trainyard:endpoint';

/** Every spec that a handler was mapped with, in declaration order: the OpenAPI document's source. */
export const ENDPOINTS: EndpointSpec[] = [];

const METHODS: Record<Method, RequestMethod> = { get: RequestMethod.GET, post: RequestMethod.POST, put: RequestMethod.PUT, patch: RequestMethod.PATCH, delete: RequestMethod.DELETE };

/** Maps a handler to `spec`: method, path, success status and least role all come from the spec. */
export function Endpoint(spec: EndpointSpec): MethodDecorator {
  ENDPOINTS.push(spec);
  return applyDecorators(
    RequestMapping({ path: spec.path.replace(/\{(\w+)\}/g, ':$1'), method: METHODS[spec.method] }),
    HttpCode(spec.status),
    SetMetadata(ENDPOINT_KEY, spec),
    spec.role === 'public' ? Public() : MinRole(spec.role),
  );
}

/** The request's parsed input (see EndpointInterceptor). */
export const In = createParamDecorator((_data: unknown, ctx: ExecutionContext) => (ctx.switchToHttp().getRequest() as { endpointInput: unknown }).endpointInput);
