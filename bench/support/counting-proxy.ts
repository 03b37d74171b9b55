import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RequestCount {
  requests: number;
  /** Response bytes (GET) or request bytes (PUT, POST) that crossed. */
  bytes: number;
}

/** Counts by `METHOD folder`, e.g. `GET datasets`, `PUT jobs`, `LIST`; the folder is the key's first segment after the store's prefix. */
export type Counts = Record<string, RequestCount>;

/**
 * A pass-through HTTP proxy in front of an S3 endpoint that counts what goes through it, so a bench can show which
 * objects a process downloaded. Headers go through untouched (SigV4 signs the Host the client used, and the
 * upstream checks the same one).
 */
export async function startCountingProxy(upstream: string, keyPrefix: string): Promise<{ endpoint: string; counts(): Counts; reset(): void; close(): Promise<void> }> {
  const target = new URL(upstream);
  let counts: Counts = {};
  const add = (kind: string, bytes: number) => {
    const c = (counts[kind] ??= { requests: 0, bytes: 0 });
    c.requests++;
    c.bytes += bytes;
  };
  const server: Server = createServer((req, res) => {
    const kind = classify(req, keyPrefix);
    const upstreamReq = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        let bytes = 0;
        upstreamRes.on('data', (chunk: Buffer) => (bytes += chunk.length));
        upstreamRes.on('end', () => req.method === 'GET' && add(kind, bytes));
        upstreamRes.pipe(res);
      },
    );
    let sent = 0;
    req.on('data', (chunk: Buffer) => (sent += chunk.length));
    req.on('end', () => req.method !== 'GET' && add(kind, sent));
    upstreamReq.on('error', (err) => res.destroy(err));
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => structuredClone(counts),
    reset: () => (counts = {}),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `GET datasets`, `PUT jobs`, …: path-style `/<bucket>/<prefix>/<folder>/…`; a listing is `LIST`. */
function classify(req: IncomingMessage, keyPrefix: string): string {
  const url = new URL(req.url ?? '/', 'http://proxy');
  if (req.method === 'GET' && (url.searchParams.has('list-type') || url.searchParams.has('uploads'))) return 'LIST';
  const key = decodeURIComponent(url.pathname).split('/').slice(2).join('/');
  const rest = keyPrefix && key.startsWith(`${keyPrefix}/`) ? key.slice(keyPrefix.length + 1) : key;
  return `${req.method} ${rest.split('/')[0] || '(bucket)'}`;
}
