// The error reference (docs/errors.md) next to an error the demo shows: `error.docs` names the
// entry, and its "what happened / likely cause / what to do" are shown under the message. The
// reference is bundled as text and loaded only when an error is shown.

/** One entry of the error reference. */
export interface ErrorEntry {
  /** Where it lives: `docs/errors.md#<errorCode>` (what `AuthError.docs` returns). */
  ref: string;
  whatHappened: string;
  likelyCause: string;
  whatToDo: string;
}

/** The entry for `errorCode`, or undefined when the reference has none. */
export async function errorEntry(ref: string): Promise<ErrorEntry | undefined> {
  const code = ref.slice(ref.indexOf('#') + 1);
  const { default: reference } = await import('../../../docs/errors.md?raw');
  const start = reference.indexOf(`\n### ${code}\n`);
  if (start === -1) return undefined;
  const rest = reference.slice(start + code.length + 6);
  const body = rest.slice(0, rest.search(/\n#{2,3} |$/));
  const field = (label: string): string => {
    // A bullet `- **Label**: text`, possibly wrapped over several indented lines.
    const match = new RegExp(`- \\*\\*${label}\\*\\*: ([\\s\\S]*?)(?=\\n- \\*\\*|\\n\\n|$)`).exec(
      body,
    );
    return (match?.[1] ?? '').replace(/\s+/g, ' ').trim();
  };
  return {
    ref,
    whatHappened: field('What happened'),
    likelyCause: field('Likely cause'),
    whatToDo: field('What to do'),
  };
}
