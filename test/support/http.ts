import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small JSON client for the API under test. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null,
  ) {}

  as(token: string | null): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    const init: RequestInit = { method, headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...headers } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (an artifact or an event stream): the caller gets the text.
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }

  async uploadDataset(name: string, content: string | Buffer, fileName = `${name}.csv`, extra: Record<string, string> = {}, headers: Record<string, string> = {}) {
    const form = new FormData();
    form.set('name', name);
    for (const [k, v] of Object.entries(extra)) form.set(k, v);
    form.set('file', new Blob([content]), fileName);
    return this.request('POST', '/v1/datasets', form, headers);
  }

  async uploadFile(name: string, path: string) {
    return this.uploadDataset(name, await readFile(path), basename(path));
  }

  /** Polls a job until it reaches one of `statuses`; fails with the job's last state on timeout. */
  async waitForJob(id: string, statuses: string[] = ['completed', 'failed', 'cancelled'], timeoutMs = 120_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    let last: any;
    while (Date.now() < deadline) {
      last = (await this.get(`/v1/training-jobs/${id}`)).body;
      if (statuses.includes(last?.status)) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`job ${id} did not reach ${statuses.join('/')} in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
  }
}
