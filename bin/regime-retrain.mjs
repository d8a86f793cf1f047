#!/usr/bin/env node
// The `regime-retrain` command: the TypeScript CLI run through tsx (a runtime dependency), so
// `npm link` or `npx regime-retrain` work without a build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
runCli();
