/**
 * npm run docs:cli
 *
 * Writes docs/cli.md from the CLI's commander definitions. Run it after adding or changing a
 * command or option; tests/unit/repo/cliReference.test.ts fails until it has been run.
 */
import { writeFileSync } from 'node:fs';
import { buildProgram } from '../src/cli/main';
import { renderCliReference } from './docs/cliReference';

export const CLI_DOC = new URL('../docs/cli.md', import.meta.url);

writeFileSync(CLI_DOC, renderCliReference(buildProgram()));
console.log(`wrote ${CLI_DOC.pathname}`);
