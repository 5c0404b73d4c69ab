import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AuthError, InteractionRequiredAuthError, ServerError } from '../src/errors/auth-error.js';
import * as codes from '../src/errors/error-codes.js';

// docs/errors.md is the reference users read; this keeps it in step with the exported codes.
const reference = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

/** The exported code constants: snake_case string values of error-codes.ts. */
const exported = Object.values(codes as Record<string, unknown>).filter(
  (value): value is string => typeof value === 'string',
);

interface Entry {
  code: string;
  group: string;
  body: string;
}

/** Entries are `### <code>` headings under a `## <group>` heading, up to the next heading. */
function parseEntries(markdown: string): Entry[] {
  const entries: Entry[] = [];
  let group = '';
  let current: Entry | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^(#{2,3}) (.+)$/.exec(line);
    if (heading) {
      current = undefined;
      if (heading[1] === '##') {
        group = heading[2]!;
      } else {
        current = { code: heading[2]!.replaceAll('`', '').trim(), group, body: '' };
        entries.push(current);
      }
      continue;
    }
    if (current) current.body += `${line}\n`;
  }
  return entries;
}

const entries = parseEntries(reference);
const documented = entries.map((entry) => entry.code);

describe('docs/errors.md', () => {
  it('exports codes to check (the constants are read, not a copy of them)', () => {
    expect(exported.length).toBeGreaterThan(20);
    expect(exported).toContain(codes.INVALID_GRANT);
  });

  it('has an entry for every exported error code', () => {
    const missing = exported.filter((code) => !documented.includes(code));
    expect(missing, `codes with no entry in docs/errors.md: ${missing.join(', ')}`).toEqual([]);
  });

  it('has no entry that names no exported error code', () => {
    const unknown = documented.filter((code) => !exported.includes(code));
    expect(unknown, `entries in docs/errors.md naming no code: ${unknown.join(', ')}`).toEqual([]);
  });

  it('has one entry per code', () => {
    const repeated = documented.filter((code, i) => documented.indexOf(code) !== i);
    expect(repeated).toEqual([]);
  });

  it.each(entries.map((entry) => [entry.code, entry] as const))(
    '%s says what happened, the likely cause, what to do, and shows an example',
    (_code, entry) => {
      expect(entry.group, 'entries sit under a group heading').not.toBe('');
      for (const part of [
        '**What happened**',
        '**Likely cause**',
        '**What to do**',
        '**Example**',
      ]) {
        expect(entry.body).toContain(part);
      }
      expect(entry.body).toMatch(/```ts\n[\s\S]+?\n```/);
    },
  );

  it('groups the entries by what the caller does next', () => {
    const groups = [...new Set(entries.map((entry) => entry.group))];
    expect(groups).toEqual([
      'Interaction required',
      'Server and network',
      'Client checks',
      'Browser',
      'Configuration',
    ]);
  });
});

describe('AuthError.docs', () => {
  it.each(exported)('links %s to its entry', (code) => {
    const error = new AuthError(code, 'x');
    expect(error.docs).toBe(`docs/errors.md#${code}`);
    // GitHub's anchor for "### <code>" is the code itself.
    expect(documented).toContain(error.docs.split('#')[1]);
  });

  it('links subclasses and provider errors by their code', () => {
    expect(new InteractionRequiredAuthError(codes.LOGIN_REQUIRED, 'x').docs).toBe(
      'docs/errors.md#login_required',
    );
    expect(new ServerError({ error: 'access_denied' }).docs).toBe('docs/errors.md#access_denied');
    // Provider codes that are not Tessera's own have an anchor in the server group's text.
    expect(reference).toContain('<a id="access_denied"></a>');
  });
});
