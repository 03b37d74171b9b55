import { koffi } from './koffi';
import type { KoffiLibrary } from './koffi';
import { MlError } from '../errors';

/** Native engines run whole boosting rounds on koffi's async stack, whose 128 KiB default is too small. */
const ASYNC_STACK_BYTES = 8 * 1024 * 1024;

const opened = new Map<string, KoffiLibrary>();
let configured = false;

/** Opens a shared library once per process, after giving koffi's async calls a large enough stack. */
export function openNativeLibrary(path: string): KoffiLibrary {
  const cached = opened.get(path);
  if (cached) return cached;
  configureKoffiOnce();
  let lib: KoffiLibrary;
  try {
    lib = koffi.load(path);
  } catch (err) {
    throw new MlError('INTERNAL', `Could not load native library ${path}: ${(err as Error).message}`, { path });
  }
  opened.set(path, lib);
  return lib;
}

function configureKoffiOnce(): void {
  if (configured) return;
  configured = true;
  const current = koffi.config();
  if (current.async_stack_size !== undefined && current.async_stack_size >= ASYNC_STACK_BYTES) return;
  try {
    koffi.config({ async_stack_size: ASYNC_STACK_BYTES });
  } catch (err) {
    // koffi refuses once any library is loaded; whoever loaded first must have set it.
    process.emitWarning(`koffi async stack left at ${current.async_stack_size} bytes: ${(err as Error).message}`);
  }
}
