import type { Request, Response } from 'express';

const HEARTBEAT_MS = 15_000;

/** One open `text/event-stream` response: named events with an id, a heartbeat comment, and close hooks. */
export class SseConnection {
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly closeHooks: (() => void)[] = [];

  constructor(req: Request, private readonly res: Response) {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    // A reconnecting client waits 2 s and sends the last id it saw as Last-Event-ID.
    res.write('retry: 2000\n\n');
    // Keeps proxies from closing an idle stream; costs no database work.
    this.heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
    req.on('close', () => this.finish());
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  onClose(hook: () => void): void {
    if (this.closed) hook();
    else this.closeHooks.push(hook);
  }

  send(event: string, data: unknown, id?: string): void {
    if (this.closed) return;
    this.res.write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends the response (after a final event, or when the resource is gone). */
  end(): void {
    if (this.closed) return;
    this.res.end();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const hook of this.closeHooks.splice(0)) hook();
  }
}
