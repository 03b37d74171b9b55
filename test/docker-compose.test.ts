import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const COMPOSE_FILE = join(ROOT, 'docker', 'compose.yml');

/** `docker compose` (the plugin) or the standalone `docker-compose`, whichever this machine has. */
function composeCommand(): string[] | null {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  return null;
}

describe('docker/compose.yml', () => {
  const compose = composeCommand();

  it('parses with docker compose config, GPU profile included', { skip: compose ? false : 'no docker compose CLI on this machine' }, () => {
    const [cmd, ...args] = compose!;
    const result = spawnSync(cmd, [...args, '-f', COMPOSE_FILE, '--profile', 'gpu', 'config'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TRAINYARD_ADMIN_TOKEN: 'ty_compose_check' } });
    assert.equal(result.status, 0, result.stderr);
    for (const service of ['postgres', 'temporal', 'temporal-ui', 'api', 'worker-cpu', 'worker-gpu']) {
      assert.match(result.stdout, new RegExp(`^  ${service}:`, 'm'), `service ${service}`);
    }
  });
});
