// A second module, so the self-test proves esbuild bundled imports.
export function greeting(name: string): string {
  return `hello from ${name}`;
}
