import { createInterface } from 'node:readline/promises';
import { TrainyardApi } from '@trainyard/client';
import { parse, type Context } from '../context';
import { DEFAULT_URL, readProfile, writeProfile } from '../profile';

export const LOGIN_USAGE = `trainyard login [--url URL] [--token-stdin]
  Checks a token against the API and saves URL and token to the profile (mode 0600).
  The token comes from TRAINYARD_TOKEN, or stdin with --token-stdin, or a prompt.`;

async function readToken(fromStdin: boolean, env: NodeJS.ProcessEnv): Promise<string> {
  if (env.TRAINYARD_TOKEN && !fromStdin) return env.TRAINYARD_TOKEN;
  if (fromStdin || !process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.trim();
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // The token is a secret: echo nothing while it is typed.
  const mute = rl as unknown as { _writeToOutput: (s: string) => void };
  const question = rl.question('Token: ');
  mute._writeToOutput = () => undefined;
  const token = await question;
  rl.close();
  process.stderr.write('\n');
  return token.trim();
}

export async function login(argv: string[], ctx: Omit<Context, 'api'>): Promise<number> {
  const { values } = parse(argv, { 'token-stdin': { type: 'boolean' } });
  const url = (values.url || ctx.env.TRAINYARD_URL || (await readProfile(ctx.env))?.url || DEFAULT_URL).replace(/\/+$/, '');
  const token = await readToken(Boolean(values['token-stdin']), ctx.env);
  if (!token) {
    ctx.term.err('error: no token given');
    return 2;
  }
  const me = await new TrainyardApi({ baseUrl: url, token }).me();
  const file = await writeProfile({ url, token }, ctx.env);
  if (ctx.json) ctx.term.out(JSON.stringify({ url, ...me, profile: file }, null, 2));
  else ctx.term.out(`signed in to ${url} as ${me.name} (${me.role}, tenant ${me.tenant}); profile saved to ${file}`);
  return 0;
}
