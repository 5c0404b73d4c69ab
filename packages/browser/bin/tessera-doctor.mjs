#!/usr/bin/env node
// tessera-doctor: checks a single-page app's sign-in setup against its OpenID provider
// (`--help`). The logic is compiled from packages/browser/src/diagnose (cli.ts), shared with
// the browser's diagnose(app); this file only connects it to the process.
let cli;
try {
  cli = await import('../dist/diagnose/cli.js');
} catch (error) {
  process.stderr.write(
    `tessera-doctor: could not load the compiled library (${error instanceof Error ? error.message : String(error)}); run \`npm run build\` first.\n`,
  );
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
