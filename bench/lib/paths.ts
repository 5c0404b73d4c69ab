// Where things are. bench/run.mjs bundles the bench into bench/results/ and defines the repo root
// at build time, because import.meta.url there is the bundle's, not the source file's.
declare const BENCH_REPO_ROOT: string;

export const REPO_ROOT: string = BENCH_REPO_ROOT;
export const BENCH_DIR = `${REPO_ROOT}/bench`;
export const RESULTS_DIR = `${BENCH_DIR}/results`;
