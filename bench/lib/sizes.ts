// Typed access to bench/bundle-size.mjs (plain ESM, shared with the budget test) and the size
// measurement of every library's minimal app.
import type { BuildOptions, Metafile } from 'esbuild';
// @ts-expect-error -- plain ESM without declarations: the budget test imports it the same way
import * as sizing from '../bundle-size.mjs';
import { benchPath, LIBRARIES } from './libraries.js';
import type { Library, LibraryId } from './libraries.js';
import { REPO_ROOT } from './paths.js';

export interface Size {
  minified: number;
  gzipped: number;
  brotli: number;
}

export interface SplitSize {
  eager: Size & { chunks: number };
  total: Size & { chunks: number };
}

interface Sizing {
  browserBuild: BuildOptions;
  eagerChunks: (metafile: Metafile) => Set<string>;
  bundleSize: (entry?: string) => Promise<Size>;
  splitSize: (entry?: string) => Promise<SplitSize>;
}

const typed = sizing as Sizing;
export const { browserBuild, bundleSize, eagerChunks, splitSize } = typed;

export interface SizeResults {
  oneFile: Record<LibraryId, Size>;
  /** @tessera/browser only. */
  tesseraSplit: SplitSize;
  tesseraCallback: Size;
}

export async function measureSizes(
  libraries: readonly Library[] = LIBRARIES,
): Promise<SizeResults> {
  const oneFile = {} as Record<LibraryId, Size>;
  // One build at a time: the machine has two cores and other work on it.
  for (const library of libraries)
    oneFile[library.id] = await bundleSize(benchPath(library.minimalApp));
  return {
    oneFile,
    tesseraSplit: await splitSize(benchPath('minimal-app.ts')),
    tesseraCallback: await bundleSize(`${REPO_ROOT}/packages/browser/src/callback.ts`),
  };
}
