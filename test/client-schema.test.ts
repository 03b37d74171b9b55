import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..', '..');
const check = (...args: string[]) => spawnSync(process.execPath, [join(root, 'scripts', 'gen-client.mjs'), '--check', ...args], { cwd: root, encoding: 'utf8' });

describe('libs/client: the committed schema matches the API', () => {
  it('is what the current OpenAPI document generates (npm run gen:client)', () => {
    const run = check();
    assert.equal(run.status, 0, run.stderr + run.stdout);
  });

  it('fails the check when the committed file drifts from the API', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'client-schema-'));
    try {
      const schema = await readFile(join(root, 'libs', 'client', 'src', 'schema.ts'), 'utf8');
      const stale = join(dir, 'schema.ts');
      await writeFile(stale, schema.replace('"/v1/me": {', '"/v1/whoami": {'));
      const run = check('--against', stale);
      assert.equal(run.status, 1, run.stdout);
      assert.match(run.stderr, /differs from what the current API generates/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
