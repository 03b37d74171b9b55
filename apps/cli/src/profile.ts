import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Profile {
  url: string;
  token: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** `$TRAINYARD_CONFIG_DIR`, else `$XDG_CONFIG_HOME/trainyard`, else `~/.config/trainyard`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TRAINYARD_CONFIG_DIR) return env.TRAINYARD_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'trainyard');
}

export const profilePath = (env: NodeJS.ProcessEnv = process.env) => join(configDir(env), 'profile.json');

export async function readProfile(env: NodeJS.ProcessEnv = process.env): Promise<Profile | null> {
  try {
    const value = JSON.parse(await readFile(profilePath(env), 'utf8')) as Partial<Profile>;
    return typeof value.url === 'string' && typeof value.token === 'string' ? { url: value.url, token: value.token } : null;
  } catch {
    return null;
  }
}

/** Writes the profile readable by its owner only (0600, in a 0700 directory), replacing it atomically. */
export async function writeProfile(profile: Profile, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const file = profilePath(env);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(profile, null, 2) + '\n', { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
  return file;
}

/** Where to connect and with which token: flags, then TRAINYARD_URL / TRAINYARD_TOKEN, then the login profile. */
export async function resolveConnection(flags: { url?: string }, env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; token: string | null }> {
  const profile = await readProfile(env);
  const url = flags.url || env.TRAINYARD_URL || profile?.url || DEFAULT_URL;
  const token = env.TRAINYARD_TOKEN || profile?.token || null;
  return { url: url.replace(/\/+$/, ''), token };
}
