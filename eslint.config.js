// @ts-check
import js from '@eslint/js';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { layerRules } from './scripts/lint/layers.mjs';

/** Node built-ins and I/O packages: never imported as values by workflow code. */
const BUILTINS = ['assert', 'buffer', 'child_process', 'crypto', 'dns', 'events', 'fs', 'fs/promises', 'http', 'https', 'net', 'os', 'path', 'process', 'stream', 'timers', 'url', 'util', 'worker_threads', 'zlib'];
const IO_PACKAGES = ['@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing', 'pg', 'drizzle-orm', '@electric-sql/[^/]+', '@tensorflow/[^/]+', 'pino(-[^/]+)?', 'wabt'];
const NOT_IN_WORKFLOWS = `^(node:.*|(${[...BUILTINS, ...IO_PACKAGES].join('|')})(/.*)?)$`;

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'reports/**', 'migrations/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: fileURLToPath(new URL('.', import.meta.url)) } },
    rules: {
      // A promise nobody awaits is a failure nobody sees: in an activity it is a lost
      // heartbeat or write, in a workflow non-determinism.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // Floors point down: each part of src/ imports only from the floors below it.
  ...layerRules(),
  {
    // Workflow code must replay deterministically: @temporalio/workflow, types and pure shared
    // modules only; randomness and time come from the SDK (uuid4, workflowInfo, sleep).
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: NOT_IN_WORKFLOWS, allowTypeImports: true, message: 'workflow code must not do I/O: import types only, or move this into an activity' },
            { regex: '^\\.\\./src/(?!(errors|util/dates|pipeline/tasks|pipeline/steps)$)', allowTypeImports: true, message: 'workflow code may import values only from pure modules (src/errors, src/util/dates, src/pipeline/tasks, src/pipeline/steps)' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'use uuid4() or a seed from the workflow input' },
        { object: 'Date', property: 'now', message: 'use workflowInfo() times or the as-of date' },
      ],
    },
  },
);
