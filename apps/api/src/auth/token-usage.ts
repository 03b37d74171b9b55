const MAX_TRACKED = 10_000;

/**
 * Keeps a token's lastUsedAt current at most once per interval (a minute) from this process: a busy client costs
 * one write a minute, not one per request. The write itself is not awaited by the request; a failed one is tried
 * again on the token's next request.
 */
export class TokenUsage {
  private readonly written = new Map<string, number>();

  constructor(
    private readonly write: (tokenId: string) => Promise<void>,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  touch(tokenId: string): void {
    const now = this.now();
    if (now - (this.written.get(tokenId) ?? -Infinity) < this.intervalMs) return;
    this.written.set(tokenId, now);
    if (this.written.size > MAX_TRACKED) this.prune(now);
    void this.write(tokenId).catch(() => this.written.delete(tokenId));
  }

  private prune(now: number): void {
    for (const [id, at] of this.written) if (now - at >= this.intervalMs) this.written.delete(id);
  }
}
