#!/usr/bin/env node
// Builds the dashboard (apps/web) into dist/web with Vite, after type-checking it, when its sources (or the
// client library it uses) are newer than the last build. `--force` builds regardless. Setup runs this.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webRoot = path.join(repoRoot, 'apps', 'web');
const outDir = path.join(repoRoot, 'dist', 'web');
const stamp = path.join(outDir, 'index.html');
const say = (/** @type {string} */ line) => console.log(`[web] ${line}`);

/** The newest modification time under `dir`. @param {string} dir @returns {number} */
function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

const sources = [webRoot, path.join(repoRoot, 'libs', 'client', 'src')];
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (!process.argv.includes('--force') && built > 0 && sources.every((dir) => newest(dir) <= built)) process.exit(0);

const t0 = Date.now();
say('type-checking apps/web ...');
const tsc = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(webRoot, 'tsconfig.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(1);

say('vite build ...');
const { build } = await import('vite');
await build({
  root: webRoot,
  base: '/',
  configFile: false,
  logLevel: 'warn',
  resolve: { alias: { '@trainyard/client': path.join(repoRoot, 'libs', 'client', 'src', 'index.ts') } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir, emptyOutDir: true, assetsDir: 'assets', sourcemap: false, chunkSizeWarningLimit: 4096, modulePreload: { polyfill: false } },
});
say(`built dist/web in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
