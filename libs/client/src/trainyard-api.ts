import createClient, { type Client } from 'openapi-fetch';
import type * as C from './contract';
import { TrainyardApiError, TrainyardConnectionError } from './errors';
import { readEventStream } from './event-stream';
import type { paths } from './schema';

export interface TrainyardApiOptions {
  /** The API's origin, e.g. http://127.0.0.1:3000 (no /v1). */
  baseUrl: string;
  token?: string | null;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: (input: Request) => Promise<Response>;
}

type QueryValue = string | number | boolean | null | undefined;

interface CallInit {
  path?: Record<string, string | number>;
  query?: Record<string, QueryValue | QueryValue[]>;
  body?: unknown;
  /** A body sent as it is (a stream, a Blob, FormData) instead of as JSON. */
  rawBody?: boolean;
  headers?: Record<string, string>;
  parseAs?: 'json' | 'text' | 'stream' | 'arrayBuffer';
  signal?: AbortSignal;
}

interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The generated openapi-fetch client with the bearer token set: typed by the OpenAPI document's paths. */
export function createTrainyardClient(options: TrainyardApiOptions): Client<paths> {
  const client = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/+$/, ''), fetch: options.fetch });
  const token = options.token;
  if (token) {
    client.use({
      onRequest({ request }) {
        request.headers.set('authorization', `Bearer ${token}`);
        return request;
      },
    });
  }
  return client;
}

const withoutEmpty = (query: CallInit['query']) => (query ? Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')) : undefined);

/**
 * The REST contract as methods, over the generated client. Each method's path and result come from the generated
 * schema: a route that changes its answer changes the method's type. Every non-2xx answer throws TrainyardApiError
 * with the API's code; an unreachable API throws TrainyardConnectionError.
 */
export class TrainyardApi {
  readonly client: Client<paths>;

  constructor(readonly options: TrainyardApiOptions) {
    this.client = createTrainyardClient(options);
  }

  /** Calls one route and answers with its JSON body, typed by the route's success responses in the schema. */
  async call<P extends C.Path, M extends C.MethodOf<P>>(method: M, path: P, init: Omit<CallInit, 'parseAs'> = {}): Promise<C.ResponseOf<P, M>> {
    return (await this.send(method, path, init)) as C.ResponseOf<P, M>;
  }

  /** The only place where the generated client's per-route types are set aside: `call` and the raw readers restore them. */
  private async send(method: C.Method, path: C.Path, init: CallInit): Promise<unknown> {
    const send = this.client[method] as unknown as (path: string, init: unknown) => Promise<FetchResult>;
    let result: FetchResult;
    try {
      result = await send(path, {
        params: { path: init.path, query: withoutEmpty(init.query) },
        body: init.body,
        ...(init.rawBody ? { bodySerializer: (b: unknown) => b, duplex: 'half' } : {}),
        headers: init.headers,
        parseAs: init.parseAs,
        signal: init.signal,
      });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
      throw new TrainyardConnectionError(`cannot reach ${this.options.baseUrl}: ${cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err)}`);
    }
    if (!result.response.ok) throw TrainyardApiError.from(result.response.status, result.error);
    return result.data;
  }

  /** A `text/event-stream` answer, as the body's bytes. */
  private async stream(path: C.Path, init: Omit<CallInit, 'parseAs'>): Promise<ReadableStream<Uint8Array>> {
    return (await this.send('GET', path, { ...init, parseAs: 'stream' })) as ReadableStream<Uint8Array>;
  }

  // ---- identity and health ----
  health = () => this.call('GET', '/health');
  me = () => this.call('GET', '/v1/me');
  stats = () => this.call('GET', '/v1/stats');

  // ---- datasets ----
  listDatasets = (query: { name?: string; page?: number; pageSize?: number } = {}) => this.call('GET', '/v1/datasets', { query });
  getDataset = (id: string) => this.call('GET', '/v1/datasets/{id}', { path: { id } });
  previewDataset = (id: string, limit = 20) => this.call('GET', '/v1/datasets/{id}/preview', { path: { id }, query: { limit } });
  profileDataset = (id: string, query: { target?: string; sampleRows?: number } = {}) => this.call('GET', '/v1/datasets/{id}/profile', { path: { id }, query });
  deleteDataset = (id: string) => this.call('DELETE', '/v1/datasets/{id}', { path: { id } });
  /** Uploads a multipart body (fields `file`, `name`, `description`) built by the caller, e.g. as a stream that reports bytes. */
  uploadDataset = (body: NonNullable<RequestInit['body']>, contentType: string) => this.call('POST', '/v1/datasets', { body, rawBody: true, headers: { 'content-type': contentType } });

  // ---- training jobs ----
  listJobs = (query: { q?: string; status?: string; experiment?: string; name?: string; modelType?: string; tag?: string[]; page?: number; pageSize?: number; sort?: string } = {}) =>
    this.call('GET', '/v1/training-jobs', { query });
  getJob = (id: string) => this.call('GET', '/v1/training-jobs/{id}', { path: { id } });
  createJob = (body: Record<string, unknown>, idempotencyKey?: string) =>
    this.call('POST', '/v1/training-jobs', { body, headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : undefined });
  cancelJob = (id: string) => this.call('POST', '/v1/training-jobs/{id}/cancel', { path: { id } });
  /** Cancels every job matching the filter (queued ones by default); answers how many were asked to stop. */
  cancelJobs = (filter: { status?: 'queued' | 'running'; experiment?: string; tag?: string | string[] } = {}) =>
    this.call('POST', '/v1/training-jobs/cancel', { body: filter });
  retryJob = (id: string, overrides?: Record<string, unknown>) => this.call('POST', '/v1/training-jobs/{id}/retry', { path: { id }, body: overrides ?? {} });
  jobLogs = (id: string, query: { tail?: number; level?: string } = {}) => this.call('GET', '/v1/training-jobs/{id}/logs', { path: { id }, query });
  jobMetrics = (id: string) => this.call('GET', '/v1/training-jobs/{id}/metrics', { path: { id } });
  compareJobs = (ids: string[]) => this.call('GET', '/v1/training-jobs/compare', { query: { ids: ids.join(',') } });
  listExperiments = () => this.call('GET', '/v1/experiments');

  /** The job's live events until `end` (or until `signal` aborts); resume with the last event's id. */
  async *streamJob(id: string, options: { tail?: number; level?: string; lastEventId?: string | null; signal?: AbortSignal } = {}): AsyncGenerator<C.JobStreamEvent> {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}) };
    const body = await this.stream('/v1/training-jobs/{id}/logs', { path: { id }, query: { tail: options.tail, level: options.level }, headers, signal: options.signal });
    for await (const e of readEventStream(body)) yield e as C.JobStreamEvent;
  }

  // ---- models ----
  listModels = (query: { page?: number; pageSize?: number } = {}) => this.call('GET', '/v1/models', { query });
  getModel = (name: string) => this.call('GET', '/v1/models/{name}', { path: { name } });
  listVersions = (name: string, query: { page?: number; pageSize?: number } = {}) => this.call('GET', '/v1/models/{name}/versions', { path: { name }, query });
  getVersion = (name: string, version: number) => this.call('GET', '/v1/models/{name}/versions/{version}', { path: { name, version } });
  setAlias = (name: string, alias: string, version: number) => this.call('PUT', '/v1/models/{name}/aliases/{alias}', { path: { name, alias }, body: { version } });
  deleteAlias = (name: string, alias: string) => this.call('DELETE', '/v1/models/{name}/aliases/{alias}', { path: { name, alias } });
  aliasEvents = (name: string, query: { page?: number; pageSize?: number } = {}) => this.call('GET', '/v1/models/{name}/alias-events', { path: { name }, query });
  predict = (name: string, body: { records: Record<string, unknown>[]; version?: number; alias?: string }) => this.call('POST', '/v1/models/{name}/predict', { path: { name }, body });
  /** The ONNX file's bytes (the schema types a binary body as a string). */
  artifact = async (name: string, version: number) => (await this.send('GET', '/v1/models/{name}/versions/{version}/artifact', { path: { name, version }, parseAs: 'arrayBuffer' })) as ArrayBuffer;

  // ---- studies ----
  createStudy = (body: Record<string, unknown>) => this.call('POST', '/v1/studies', { body });
  listStudies = (query: { page?: number; pageSize?: number } = {}) => this.call('GET', '/v1/studies', { query });
  getStudy = (id: string) => this.call('GET', '/v1/studies/{id}', { path: { id } });
  listTrials = (id: string, query: { page?: number; pageSize?: number } = {}) => this.call('GET', '/v1/studies/{id}/trials', { path: { id }, query });
  cancelStudy = (id: string) => this.call('POST', '/v1/studies/{id}/cancel', { path: { id } });

  /** The study's live events until `end`. */
  async *streamStudy(id: string, options: { lastEventId?: string | null; signal?: AbortSignal } = {}): AsyncGenerator<C.StudyStreamEvent> {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}) };
    const body = await this.stream('/v1/studies/{id}/events', { path: { id }, headers, signal: options.signal });
    for await (const e of readEventStream(body)) yield e as C.StudyStreamEvent;
  }

  // ---- schedules ----
  listSchedules = (query: { page?: number; pageSize?: number } = {}) => this.call('GET', '/v1/schedules', { query });
  getSchedule = (id: string) => this.call('GET', '/v1/schedules/{id}', { path: { id } });
  pauseSchedule = (id: string) => this.call('POST', '/v1/schedules/{id}/pause', { path: { id } });
  resumeSchedule = (id: string) => this.call('POST', '/v1/schedules/{id}/resume', { path: { id } });
  triggerSchedule = (id: string) => this.call('POST', '/v1/schedules/{id}/trigger', { path: { id } });
}
