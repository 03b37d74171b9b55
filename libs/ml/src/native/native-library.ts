import { koffi } from './koffi';
import type { KoffiLibrary } from './koffi';
import { MlError } from '../errors';
import { boundOpenMpSpinning } from './openmp';

const opened = new Map<string, KoffiLibrary>();

/** Opens a shared library once per process (per thread: engine threads open their own). */
export function openNativeLibrary(path: string): KoffiLibrary {
  const cached = opened.get(path);
  if (cached) return cached;
  let lib: KoffiLibrary;
  boundOpenMpSpinning();
  try {
    lib = koffi.load(path);
  } catch (err) {
    throw new MlError('INTERNAL', `Could not load native library ${path}: ${(err as Error).message}`, { path });
  }
  opened.set(path, lib);
  return lib;
}
