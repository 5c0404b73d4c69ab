#!/usr/bin/env node
// API report per package: what each package's public type declarations (the `types` of every
// entry in its package.json `exports`, as built by `npm run build`) export, normalised (no
// comments, sorted, formatted) into packages/<pkg>/api-report.md, which is committed. A change
// to that file in a diff is a change to the public API, seen in review.
//
//   node scripts/api-report.mjs           check: exit 1 and name the package when it differs
//   node scripts/api-report.mjs --update  rewrite the reports (npm run api:update)
//
// Besides the exports, the report holds the declarations they reference that are not exported
// (a type a public signature uses is public too, even when it cannot be imported by name).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The packages with a committed report, relative to the repository root. */
export const PACKAGES = [
  'packages/browser',
  'packages/angular',
  'packages/dev-idp',
  'packages/react',
  'packages/testing',
];

export const REPORT_FILE = 'api-report.md';

/** Entry points: subpath -> .d.ts, from package.json `exports` (or the built one's, for ng-packagr). */
function entryPoints(pkgDir) {
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  let base = pkgDir;
  let exportsField = manifest.exports;
  if (!exportsField && existsSync(join(pkgDir, 'dist/package.json'))) {
    base = join(pkgDir, 'dist');
    exportsField = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8')).exports;
  }
  const entries = [];
  for (const [subpath, target] of Object.entries(exportsField ?? { '.': manifest.types })) {
    const types = typeof target === 'string' ? target : target?.types;
    if (typeof types === 'string' && types.endsWith('.d.ts')) {
      entries.push({ subpath, file: resolve(base, types) });
    }
  }
  return { name: manifest.name, entries };
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** The declaration as printed without comments (the source file is needed for identifiers). */
function print(node) {
  return printer.printNode(ts.EmitHint.Unspecified, node, node.getSourceFile());
}

/** Builds the report text of one package; throws when its declarations are not built. */
export async function buildReport(pkgDir) {
  const { name, entries } = entryPoints(pkgDir);
  const missing = entries.filter((entry) => !existsSync(entry.file));
  if (entries.length === 0 || missing.length > 0) {
    throw new Error(
      `${name}: no built type declarations (${missing.map((m) => relative(root, m.file)).join(', ') || 'no exports'}): run \`npm run build\` first.`,
    );
  }
  const program = ts.createProgram(
    entries.map((entry) => entry.file),
    {
      noEmit: true,
      skipLibCheck: true,
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      types: [],
    },
  );
  const checker = program.getTypeChecker();
  const ownFile = (file) =>
    resolve(file).startsWith(resolve(pkgDir) + '/') && !file.includes('/node_modules/');

  const exported = new Set();
  const sections = [];
  for (const entry of entries) {
    const source = program.getSourceFile(entry.file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${name}: ${entry.file} is not a module.`);
    const items = [];
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      exported.add(target);
      items.push({ exportName: symbol.getName(), target });
    }
    items.sort((a, b) => (a.exportName < b.exportName ? -1 : a.exportName > b.exportName ? 1 : 0));
    sections.push({ entry, items });
  }

  // Declarations of this package that public signatures reference without exporting them.
  const referenced = new Map();
  const visit = (node) => {
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
      const at = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
      let symbol = checker.getSymbolAtLocation(at);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const declarations = symbol?.getDeclarations() ?? [];
      if (
        symbol &&
        !(symbol.flags & ts.SymbolFlags.TypeParameter) &&
        !exported.has(symbol) &&
        !referenced.has(symbol) &&
        declarations.some((d) => ownFile(d.getSourceFile().fileName))
      ) {
        referenced.set(symbol, declarations);
        declarations.forEach(visit);
      }
    }
    ts.forEachChild(node, visit);
  };

  const block = (declarations) =>
    declarations
      .filter((d) => !ts.isSourceFile(d))
      // A `const` prints with its `declare const` statement, not as a bare `name = value`.
      .map((d) => (ts.isVariableDeclaration(d) ? d.parent.parent : d))
      .map((d) => {
        visit(d);
        // `declare` and `export` depend on how a file re-exports, not on the API.
        return print(d)
          .replace(/^export (default )?/, '')
          .replace(/^declare /, '');
      })
      .join('\n\n');

  let text = `# API report: ${name}\n\nGenerated by \`npm run api:update\` from the package's public type declarations (comments removed). Do not edit by hand: a change here is a change to the public API.\n`;
  for (const { entry, items } of sections) {
    text += `\n## \`${entry.subpath === '.' ? name : `${name}/${entry.subpath.replace(/^\.\//, '')}`}\`\n`;
    for (const { exportName, target } of items) {
      const body = block(target.getDeclarations() ?? []);
      const local = target.getName();
      text += `\n### ${exportName}\n\n${local !== exportName && local !== 'default' ? `Exported as \`${exportName}\`.\n\n` : ''}\`\`\`ts\n${body}\n\`\`\`\n`;
    }
  }
  if (referenced.size > 0) {
    const rest = [...referenced]
      .map(([symbol, declarations]) => ({
        name: symbol.getName(),
        declarations: declarations.filter((d) => ownFile(d.getSourceFile().fileName)),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    text += `\n## Referenced, not exported\n\nTypes that public signatures use but the package does not export by name.\n`;
    for (const item of rest) {
      text += `\n### ${item.name}\n\n\`\`\`ts\n${block(item.declarations)}\n\`\`\`\n`;
    }
  }
  const options = (await prettier.resolveConfig(join(pkgDir, REPORT_FILE))) ?? {};
  return prettier.format(text, { ...options, parser: 'markdown' });
}

/** Compares (or with `update`, rewrites) every package's report; returns the problems found. */
export async function checkReports({ update = false } = {}) {
  const problems = [];
  for (const pkg of PACKAGES) {
    const pkgDir = join(root, pkg);
    const file = join(pkgDir, REPORT_FILE);
    const fresh = await buildReport(pkgDir);
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (fresh === committed) continue;
    if (update) {
      writeFileSync(file, fresh);
      console.log(`api-report: wrote ${pkg}/${REPORT_FILE}`);
      continue;
    }
    const name = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).name;
    problems.push(
      `public API of ${name} changed: run \`npm run api:update\` and commit ${pkg}/${REPORT_FILE}` +
        (committed === undefined ? ' (no report yet)' : `\n${firstDifference(committed, fresh)}`),
    );
  }
  return problems;
}

/** The changed lines (`-` committed, `+` built), with the section each is in, at most 30. */
function firstDifference(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  let ja = a.length;
  let jb = b.length;
  while (ja > i && jb > i && a[ja - 1] === b[jb - 1]) (ja--, jb--);
  // Longest common subsequence of the differing middle, to list only the changed lines.
  const x = a.slice(i, ja);
  const y = b.slice(i, jb);
  const lcs = x.map(() => new Array(y.length + 1).fill(0));
  lcs.push(new Array(y.length + 1).fill(0));
  for (let p = x.length - 1; p >= 0; p--) {
    for (let q = y.length - 1; q >= 0; q--) {
      lcs[p][q] = x[p] === y[q] ? lcs[p + 1][q + 1] + 1 : Math.max(lcs[p + 1][q], lcs[p][q + 1]);
    }
  }
  const section = (lines, upTo) => lines.slice(0, upTo).findLast((l) => l.startsWith('### '));
  const out = [];
  let last;
  const emit = (sign, line, lines, at) => {
    const where = section(lines, at + 1);
    if (where !== last) out.push(`  in ${(last = where) ?? 'the header'}:`);
    out.push(`  ${sign} ${line}`);
  };
  let p = 0;
  let q = 0;
  while (p < x.length || q < y.length) {
    if (p < x.length && q < y.length && x[p] === y[q]) (p++, q++);
    else if (p < x.length && (q === y.length || lcs[p + 1][q] >= lcs[p][q + 1]))
      emit('-', x[p], a, i + p++);
    else emit('+', y[q], b, i + q++);
  }
  return (out.length > 30 ? [...out.slice(0, 30), '  ...'] : out).join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = await checkReports({ update: process.argv.includes('--update') });
  if (problems.length > 0) {
    console.error(problems.join('\n\n'));
    process.exit(1);
  }
  if (!process.argv.includes('--update')) console.log('api-report: public APIs unchanged');
}
