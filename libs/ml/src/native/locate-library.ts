import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MlError } from '../errors';

export type NativeLibraryName = 'xgboost' | 'lightgbm';

interface LibrarySpec {
  envVar: string;
  wheelPath: string[];
  fileName: string;
}

const LIBRARIES: Record<NativeLibraryName, LibrarySpec> = {
  xgboost: {
    envVar: 'TRAINYARD_XGBOOST_LIB',
    wheelPath: ['wheels', 'xgboost', 'xgboost', 'lib', 'libxgboost.so'],
    fileName: 'libxgboost.so',
  },
  lightgbm: {
    envVar: 'TRAINYARD_LIGHTGBM_LIB',
    wheelPath: ['wheels', 'lightgbm', 'lightgbm', 'lib', 'lib_lightgbm.so'],
    fileName: 'lib_lightgbm.so',
  },
};

const SYSTEM_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/local/lib', '/usr/lib'];

/** Finds a native engine library: env override, then the repo's .tools wheels, then system paths. */
export function locateNativeLibrary(name: NativeLibraryName, env: NodeJS.ProcessEnv = process.env): string {
  const spec = LIBRARIES[name];
  const candidates = nativeLibraryCandidates(name, env);
  const override = env[spec.envVar];
  if (override && !existsSync(override)) {
    throw new MlError('INTERNAL', `${spec.envVar} points at ${override}, which does not exist`, { name, path: override });
  }
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  throw new MlError(
    'INTERNAL',
    `The ${name} native library (${spec.fileName}) was not found; run \`npm run setup\` to install it, or set ${spec.envVar}`,
    { name, searched: candidates },
  );
}

/** Every path locateNativeLibrary would try, in order. */
export function nativeLibraryCandidates(name: NativeLibraryName, env: NodeJS.ProcessEnv = process.env): string[] {
  const spec = LIBRARIES[name];
  const candidates: string[] = [];
  const override = env[spec.envVar];
  if (override) candidates.push(override);
  const toolsDir = env.TRAINYARD_TOOLS_DIR || toolsDirFromRepo();
  if (toolsDir) candidates.push(join(toolsDir, ...spec.wheelPath));
  for (const dir of SYSTEM_DIRS) candidates.push(join(dir, spec.fileName));
  return candidates;
}

function toolsDirFromRepo(): string | null {
  const root = findRepoRoot(__dirname);
  return root ? join(root, '.tools') : null;
}

/** Walks up to the directory whose package.json is the trainyard root (dist/ and src/ both sit below it). */
export function findRepoRoot(start: string): string | null {
  let dir = start;
  for (;;) {
    if (isTrainyardRoot(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function isTrainyardRoot(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'trainyard';
  } catch {
    return false;
  }
}
