#!/usr/bin/env node
// @ts-check
// `npm run gen:docs`: writes docs/model-parameters.md from the model families' parameter tables (built into dist/ by
// the npm script first). `--check` writes nothing and exits 1 when the committed file differs from what the tables
// give; libs/ml's parameter-reference spec makes the same comparison in `npm test`.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './setup.mjs';

const require = createRequire(import.meta.url);
const target = path.join(repoRoot, 'docs', 'model-parameters.md');
const { parameterReferenceMarkdown } = require(path.join(repoRoot, 'dist', 'libs', 'ml', 'src', 'engines', 'parameter-reference.js'));
/** @type {string} */
const markdown = parameterReferenceMarkdown();

if (process.argv.includes('--check')) {
  const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (committed !== markdown) {
    console.error(`${path.relative(repoRoot, target)} differs from the parameter tables; run npm run gen:docs and commit it`);
    process.exit(1);
  }
  console.log(`${path.relative(repoRoot, target)} is up to date`);
} else {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, markdown);
  console.log(`wrote ${path.relative(repoRoot, target)}`);
}
