export { locateNativeLibrary, nativeLibraryCandidates, findRepoRoot } from './locate-library';
export type { NativeLibraryName } from './locate-library';
export { openNativeLibrary } from './native-library';
export { callOffThread } from './call-off-thread';
export type { NativeFunction } from './call-off-thread';
export { koffi } from './koffi';
export type { KoffiLibrary } from './koffi';
