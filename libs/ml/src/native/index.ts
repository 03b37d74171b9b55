export { locateNativeLibrary, nativeLibraryCandidates, findRepoRoot } from './locate-library';
export type { NativeLibraryName } from './locate-library';
export { openNativeLibrary } from './native-library';
export type { NativeFunction } from './native-function';
export { EngineThread, withEngineLane, writtenParameters } from './engine-thread';
export type { EngineLibrary } from './engine-thread';
export { koffi } from './koffi';
export type { KoffiLibrary } from './koffi';
