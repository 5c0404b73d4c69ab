// A figure, or why there is none. A library that cannot do something in this setup is 'n/a'
// with the reason; one that broke (a build error, an exception, a timeout) is 'error'. Either
// way the run goes on and the table says so.
export type Cell<T> = { value: T } | { na: string } | { error: string };

interface EsbuildMessage {
  text: string;
  location: { file: string; line: number } | null;
}

/** The first line of an error's message, short enough for a table cell. */
export function message(error: unknown): string {
  // esbuild's "Build failed with 1 error:" says little; its first error says what broke.
  const first = (error as { errors?: EsbuildMessage[] } | undefined)?.errors?.[0];
  if (first !== undefined) {
    const where = first.location === null ? '' : `${first.location.file}:${first.location.line}: `;
    return `${where}${first.text}`.slice(0, 200);
  }
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.slice(0, 200) ?? text;
}

/** `step`'s value, or its error as a cell. */
export async function settleCell<T>(step: () => Promise<T>): Promise<Cell<T>> {
  try {
    return { value: await step() };
  } catch (error) {
    return { error: message(error) };
  }
}
