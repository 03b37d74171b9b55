// Lint: type-aware rules for the whole tree, and a hard fence around workflow code so it stays deterministic.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.data/**', 'libs/*/index.js', 'scripts/**', 'bench/**/*.py', 'bench/.venv/**'] },
  ...tseslint.configs.recommended,
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
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!@temporalio/workflow$|@trainyard/contracts$|\\.\\./activities$|\\./).*',
              message: 'workflows may import only @temporalio/workflow, @trainyard/contracts and (type-only) ../activities',
            },
            { regex: '^\\.\\./activities$', allowTypeImports: true, message: 'activities may only be imported as types in workflow code' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'use sleep() from @temporalio/workflow' }, { name: 'setInterval', message: 'not deterministic' }],
      // Date.now() is fine: the workflow sandbox replays it from history. Math.random is too, but a seeded PRNG whose state we carry is clearer.
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'use the seeded PRNG in workflows/search' }],
    },
  },
);
