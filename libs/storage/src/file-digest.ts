import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Hex sha256 of a file, streamed. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Files this process has already hashed, by identity (inode, size, modification time): an object is checked
 * the first time this process reads it and again whenever its file changes, not on every read.
 */
export class VerifiedFiles {
  private readonly seen = new Map<string, string>();

  /** True when `path` holds content hashing to `sha256`. */
  async check(path: string, sha256: string): Promise<boolean> {
    const s = await stat(path);
    const identity = `${s.ino}:${s.size}:${s.mtimeMs}:${sha256}`;
    if (this.seen.get(path) === identity) return true;
    const ok = (await sha256OfFile(path)) === sha256;
    if (ok) this.seen.set(path, identity);
    else this.seen.delete(path);
    return ok;
  }

  /** Records a file whose content the caller hashed as it wrote it. */
  async trust(path: string, sha256: string): Promise<void> {
    const s = await stat(path);
    this.seen.set(path, `${s.ino}:${s.size}:${s.mtimeMs}:${sha256}`);
  }

  forget(path: string): void {
    this.seen.delete(path);
  }
}
