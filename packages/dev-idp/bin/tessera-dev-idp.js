#!/usr/bin/env node
// The package's bin. It is committed, not built, because npm links a workspace's bin only when
// the target exists at install time: pointing bin at dist/cli.js left `npx tessera-dev-idp`
// unlinked after `npm ci` on a fresh clone, and npx then asked the registry for it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);

/** One line naming the fix, then exit 1: the command cannot run from sources. */
function notBuilt(problem) {
  process.stderr.write(`tessera-dev-idp: ${problem}; run \`npm run build\` first\n`);
  process.exit(1);
}

if (!existsSync(cli)) {
  notBuilt(`not built yet (${fileURLToPath(cli)} is missing)`);
}
const { main } = await import(cli.href);
if (typeof main !== 'function') {
  notBuilt(`${fileURLToPath(cli)} is from an older build`);
}
await main(process.argv.slice(2));
