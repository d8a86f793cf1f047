/**
 * npm run docs:config
 *
 * Writes docs/configuration.md from the environment schema, the run config schema and the
 * variables the code reads, with the words of scripts/docs/configDescriptions.ts. Run it after
 * adding a variable or a key (and its description); tests/unit/repo/configReference.test.ts fails
 * until then.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configCoverage, renderConfigReference } from './docs/configReference';

const root = fileURLToPath(new URL('..', import.meta.url));
const { undescribed } = configCoverage(root);
if (undescribed.length) console.warn(`no description in scripts/docs/configDescriptions.ts for: ${undescribed.join(', ')}`);
const out = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(out, renderConfigReference(root));
console.log(`wrote ${out.pathname}`);
