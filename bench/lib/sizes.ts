// Typed access to bench/bundle-size.mjs (plain ESM, shared with the budget test) and the size
// measurement of every library's minimal app.
import type { BuildOptions, Metafile } from 'esbuild';
// @ts-expect-error -- plain ESM without declarations: the budget test imports it the same way
import * as sizing from '../bundle-size.mjs';
import { settleCell } from './cell.js';
import type { Cell } from './cell.js';
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
  oneFile: Partial<Record<LibraryId, Cell<Size>>>;
  /** @tessera/browser only. */
  tesseraSplit: Cell<SplitSize>;
  tesseraCallback: Cell<Size>;
}

export async function measureSizes(
  libraries: readonly Library[] = LIBRARIES,
): Promise<SizeResults> {
  const oneFile: SizeResults['oneFile'] = {};
  // One build at a time: the machine has two cores and other work on it. A build that fails
  // (a library's sources mid-change) is reported in its cell.
  for (const library of libraries) {
    oneFile[library.id] = await settleCell(() => bundleSize(benchPath(library.minimalApp)));
  }
  return {
    oneFile,
    tesseraSplit: await settleCell(() => splitSize(benchPath('minimal-app.ts'))),
    tesseraCallback: await settleCell(() =>
      bundleSize(`${REPO_ROOT}/packages/browser/src/callback.ts`),
    ),
  };
}
