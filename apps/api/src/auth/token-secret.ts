import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'ty_';

/** A new bearer secret: a recognisable prefix and 256 random bits. */
export function newTokenSecret(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** Secrets are stored only as this hash; they are high-entropy, so a fast hash is enough. */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function displayPrefix(secret: string): string {
  return secret.slice(0, PREFIX.length + 6);
}
