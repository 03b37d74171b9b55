import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { load } from 'js-yaml';

const ROOT = join(__dirname, '..', '..');
const COMPOSE_FILE = join(ROOT, 'docker', 'compose.yml');
const APP_SERVICES = ['api', 'worker-cpu', 'worker-gpu'];

interface ComposeService {
  image?: string;
  healthcheck?: { test?: unknown; disable?: boolean };
  restart?: string;
  volumes?: (string | { source?: string; target?: string; type?: string })[];
  depends_on?: Record<string, { condition: string }> | string[];
  environment?: Record<string, string | null>;
}

/** `docker compose` (the plugin) or the standalone `docker-compose`, whichever this machine has. */
function composeCommand(): string[] | null {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  return null;
}

/** The named volumes and host paths a service mounts (anonymous volumes are private to it anyway). */
function mountSources(service: ComposeService): string[] {
  return (service.volumes ?? [])
    .map((v) => (typeof v === 'string' ? (v.includes(':') ? v.split(':')[0] : '') : (v.source ?? '')))
    .filter((s) => s !== '');
}

describe('docker/compose.yml', () => {
  const compose = composeCommand();
  const skip = compose ? false : 'no docker compose CLI on this machine';
  let services: Record<string, ComposeService> = {};

  it('parses with docker compose config, GPU profile included', { skip }, () => {
    const [cmd, ...args] = compose!;
    const result = spawnSync(cmd, [...args, '-f', COMPOSE_FILE, '--profile', 'gpu', 'config'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TRAINYARD_ADMIN_TOKEN: 'ty_compose_check' } });
    assert.equal(result.status, 0, result.stderr);
    services = (load(result.stdout) as { services: Record<string, ComposeService> }).services;
    for (const name of ['postgres', 'temporal', 'temporal-ui', 'seaweedfs', 'migrate', 'temporal-schema', 'temporal-setup', 'storage-setup', ...APP_SERVICES]) {
      assert.ok(services[name], `service ${name}`);
    }
  });

  it('shares no volume between the API and any worker', { skip }, () => {
    const owners = new Map<string, string>();
    for (const name of APP_SERVICES) {
      assert.ok(services[name], `service ${name}`);
      for (const source of mountSources(services[name])) {
        assert.equal(owners.get(source), undefined, `${name} mounts ${source}, which ${owners.get(source)} mounts too`);
        owners.set(source, name);
      }
      assert.match(services[name].environment?.TRAINYARD_STORAGE_URL ?? '', /^s3:\/\//, `${name} hands data through the object store`);
    }
  });

  it('gives every long-running service a healthcheck; the rest are one-shots', { skip }, () => {
    assert.ok(Object.keys(services).length > 0, 'compose config was read');
    for (const [name, service] of Object.entries(services)) {
      const oneShot = service.restart === 'no';
      const checked = service.healthcheck?.test !== undefined && service.healthcheck.disable !== true;
      assert.ok(oneShot !== checked, `${name}: ${oneShot ? 'a one-shot with a healthcheck' : 'long-running without a healthcheck'}`);
    }
  });

  it('starts the API only after the migrations have run, as a one-shot', { skip }, () => {
    assert.equal(services.migrate?.restart, 'no');
    const deps = services.api?.depends_on as Record<string, { condition: string }>;
    assert.equal(deps?.migrate?.condition, 'service_completed_successfully');
    assert.doesNotMatch(JSON.stringify(services.api), /migrate\.js/, 'the API does not migrate at start');
  });

  it('uses no deprecated Temporal auto-setup image', { skip }, () => {
    for (const [name, service] of Object.entries(services)) assert.doesNotMatch(service.image ?? '', /temporalio\/auto-setup/, name);
  });

  it('keeps node_modules, .data, .tools and dist out of every build context', () => {
    const ignoreFiles = [join(ROOT, '.dockerignore'), ...readdirSync(join(ROOT, 'docker')).filter((f) => f.endsWith('.dockerignore')).map((f) => join(ROOT, 'docker', f))];
    for (const file of ignoreFiles) {
      const patterns = readFileSync(file, 'utf8').split('\n').map((l) => l.trim());
      for (const dir of ['node_modules', '.data', '.tools', 'dist']) assert.ok(patterns.includes(`**/${dir}`), `${file} ignores ${dir} at any depth`);
    }
  });
});
