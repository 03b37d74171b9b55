import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MlError } from '../errors';
import { locateNativeLibrary, nativeLibraryCandidates } from './locate-library';

describe('locateNativeLibrary', () => {
  it('prefers the env override, then TRAINYARD_TOOLS_DIR wheels', () => {
    const tools = mkdtempSync(join(tmpdir(), 'trainyard-tools-'));
    const lib = join(tools, 'wheels', 'lightgbm', 'lightgbm', 'lib', 'lib_lightgbm.so');
    mkdirSync(join(lib, '..'), { recursive: true });
    writeFileSync(lib, '');
    assert.equal(locateNativeLibrary('lightgbm', { TRAINYARD_TOOLS_DIR: tools }), lib);
    assert.equal(locateNativeLibrary('lightgbm', { TRAINYARD_LIGHTGBM_LIB: lib, TRAINYARD_TOOLS_DIR: '/nowhere' }), lib);
  });

  it('looks in the repo .tools copy by default', () => {
    const repoCopy = nativeLibraryCandidates('xgboost', {})[0];
    assert.match(repoCopy, /\.tools\/wheels\/xgboost\/xgboost\/lib\/libxgboost\.so$/);
    // Tools may be provisioned elsewhere (TRAINYARD_TOOLS_DIR, as CI does); where the repo copy exists, it wins.
    if (existsSync(repoCopy)) assert.equal(locateNativeLibrary('xgboost', {}), repoCopy);
  });

  it('tells the user to run npm run setup when nothing is found', () => {
    const empty = mkdtempSync(join(tmpdir(), 'trainyard-empty-'));
    assert.equal(nativeLibraryCandidates('lightgbm', { TRAINYARD_TOOLS_DIR: empty })[0], join(empty, 'wheels', 'lightgbm', 'lightgbm', 'lib', 'lib_lightgbm.so'));
    assert.throws(
      () => locateNativeLibrary('lightgbm', { TRAINYARD_TOOLS_DIR: empty, TRAINYARD_LIGHTGBM_LIB: join(empty, 'nope.so') }),
      (err: unknown) => err instanceof MlError && err.code === 'INTERNAL',
    );
    // A system-wide lib_lightgbm.so would legitimately be found, so only check the message when none is.
    try {
      locateNativeLibrary('lightgbm', { TRAINYARD_TOOLS_DIR: empty });
    } catch (err) {
      assert.match((err as Error).message, /npm run setup/);
    }
  });
});
