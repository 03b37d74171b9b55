#!/usr/bin/env node
// @ts-check
// Bundles the compiled workflow code (dist/workflows) once at build time into dist/workflow-bundle.js, which a
// worker loads as `workflowBundle: { codePath }` instead of running webpack at every start
// (libs/temporal/src/worker-factory.ts decides whether the bundle is still fresh).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const out = path.join(dist, 'workflow-bundle.js');
const quiet = () => undefined;
const logger = { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: console.warn, error: console.error };

const { code } = await bundleWorkflowCode({ workflowsPath: path.join(dist, 'workflows'), logger });
const tmp = `${out}.${process.pid}.tmp`;
fs.writeFileSync(tmp, code);
fs.renameSync(tmp, out);
