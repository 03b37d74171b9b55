import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const KEY_FILE = 'secret.key';

/**
 * The server key that seals secrets which must be recovered later (webhook signing secrets): TRAINYARD_SECRET_KEY
 * (base64, 32 bytes) when set, else a key generated once into the data dir with mode 0600.
 */
export async function loadSecretKey(dataDir: string, fromEnv = process.env.TRAINYARD_SECRET_KEY): Promise<Buffer> {
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new Error('TRAINYARD_SECRET_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  const path = join(dataDir, KEY_FILE);
  try {
    return Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
  } catch {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    // `wx` fails if another process created the key first; then read theirs.
    await writeFile(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
  }
}

/** AES-256-GCM; the result is `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export function unseal(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1') throw new Error('unknown sealed-secret format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
