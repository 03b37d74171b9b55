// @ts-check
// Lint: type-aware rules for the whole tree, and a hard fence around workflow code so it stays deterministic.
import path from 'node:path';
import tseslint from 'typescript-eslint';

const workflowsDir = path.join(import.meta.dirname, 'workflows');

/**
 * Workflow code is bundled into the sandbox: a relative import must stay under workflows/ (`./../../libs/db` is a
 * path out of it, however it is spelled). Type-only imports are erased and may name anything.
 * @type {import('eslint').Rule.RuleModule}
 */
const workflowRelativeImports = {
  meta: { type: 'problem', schema: [], messages: { outside: '{{source}} resolves outside workflows/; workflow code may import only @temporalio/workflow, @trainyard/contracts, files under workflows/ and types' } },
  create(context) {
    /** @param {any} node */
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const typeOnly =
        node.importKind === 'type' ||
        node.exportKind === 'type' ||
        (node.specifiers?.length > 0 && node.specifiers.every((/** @type {any} */ s) => s.importKind === 'type' || s.exportKind === 'type'));
      if (typeOnly) return;
      const resolved = path.resolve(path.dirname(context.filename), source);
      if (resolved === workflowsDir || resolved.startsWith(workflowsDir + path.sep)) return;
      context.report({ node: node.source, messageId: 'outside', data: { source } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.data/**', 'libs/*/index.js', 'bench/**/*.py', 'bench/.venv/**'] },
  ...tseslint.configs.recommended,
  {
    // Setup, start, test and bench scripts: plain JavaScript run by node before any build, checked from their JSDoc.
    files: ['scripts/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: {
      parserOptions: { project: './tsconfig.scripts.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Nest resolves constructor parameters from their runtime types, so those imports must stay value imports.
    files: ['apps/api/src/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    // node:test's describe/it return promises that the runner itself tracks.
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    // Workflow code is replayed: it may import only the Temporal workflow API, shared contracts and activity types.
    files: ['workflows/**/*.ts'],
    plugins: { trainyard: { rules: { 'workflow-relative-imports': workflowRelativeImports } } },
    rules: {
      'trainyard/workflow-relative-imports': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Packages: only these two. Relative paths are checked by trainyard/workflow-relative-imports.
              regex: '^(?!@temporalio/workflow$|@trainyard/contracts$|\\.)',
              allowTypeImports: true,
              message: 'workflows may import only @temporalio/workflow, @trainyard/contracts, files under workflows/ and types',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'use sleep() from @temporalio/workflow' }, { name: 'setInterval', message: 'not deterministic' }],
      // Date.now() is fine: the workflow sandbox replays it from history. Math.random is too, but a seeded PRNG whose state we carry is clearer.
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'use the seeded PRNG in workflows/search' }],
    },
  },
);
