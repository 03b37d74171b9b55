import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = join(__dirname, '..', '..');

/** Lints `code` as if it were a file under workflows/ with the repository's config; returns the fence's messages. */
async function fenceMessages(relativePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: ROOT,
    // The probe exists only in memory, so no TypeScript project knows it: parse it without type information.
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: { '@typescript-eslint/no-floating-promises': 'off' },
    },
  });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, relativePath) });
  return result.messages
    .filter((m) => m.ruleId === 'trainyard/workflow-relative-imports' || m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => `${m.line}: ${m.message}`);
}

describe('lint fence around workflow code', () => {
  it('refuses a path out of workflows/, however it is spelled', async () => {
    const messages = await fenceMessages('workflows/probe.ts', [
      "import { a } from './../../libs/db';",
      "import { b } from '../libs/db/src';",
      "import { c } from '../activities';",
      "import { d } from 'node:fs';",
      "import { e } from '@trainyard/db';",
      'export const all = [a, b, c, d, e];',
    ].join('\n'));
    assert.deepEqual(messages.map((m) => Number(m.split(':')[0])), [1, 2, 3, 4, 5], messages.join('\n'));
  });

  it('lets through the workflow API, contracts, files under workflows/ and type-only imports', async () => {
    const messages = await fenceMessages('workflows/search/probe.ts', [
      "import { proxyActivities } from '@temporalio/workflow';",
      "import { CONTROL_QUEUE } from '@trainyard/contracts';",
      "import { seedRng } from './prng';",
      "import { trainingWorkflow } from '../training.workflow';",
      "import type * as activities from '../../activities';",
      "import { type MikroORM } from '@mikro-orm/core';",
      'export type Orm = MikroORM;',
      'export const all = [proxyActivities, CONTROL_QUEUE, seedRng, trainingWorkflow] as unknown as typeof activities;',
    ].join('\n'));
    assert.deepEqual(messages, []);
  });
});
