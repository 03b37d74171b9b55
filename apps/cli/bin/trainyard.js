#!/usr/bin/env node
// The `trainyard` command: the compiled CLI lives under dist/ (built by npm run setup or npm run build).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS bin loading the compiled CLI
require('../../../dist/apps/cli/src/main.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
