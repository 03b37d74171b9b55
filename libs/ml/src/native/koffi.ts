import type * as KoffiModule from 'koffi' with { 'resolution-mode': 'import' };

/** koffi's typings are declared as ESM while its CommonJS build is what we load; this is the one bridge. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const koffi = require('koffi') as typeof KoffiModule;
export type KoffiLibrary = KoffiModule.LibraryHandle;
