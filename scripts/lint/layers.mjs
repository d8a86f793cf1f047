// @ts-check
/**
 * The floors of src/, bottom first. A module may import only from floors below its own (and
 * from its own folder): domain code never reaches up into storage, orchestration or the CLI.
 * Root files (src/config.ts, src/errors.ts, src/logger.ts) sit on the ground floor with util.
 * docs/architecture.md explains each floor; eslint.config.js turns this list into one
 * no-restricted-imports rule per floor, so an upward (or sideways) import fails `npm run lint`.
 */
export const LAYERS = [
  ['util', 'errors', 'logger', 'config', 'notify'],
  ['db'],
  ['data'],
  ['features'],
  ['labels', 'regimes'],
  ['datasets'],
  ['sampling'],
  ['models'],
  ['evaluation'],
  ['monitoring'],
  ['store'],
  ['ingest', 'registry'],
  ['pipeline'],
  ['predict', 'study'],
  ['reports'],
  ['ops'],
  ['temporal'],
  ['cli'],
];

const ROOT_FILES = new Set(['errors', 'logger', 'config']);

/** The files of one part of src/: a folder, or one of the root files. */
const filesOf = (name) => (ROOT_FILES.has(name) ? [`src/${name}.ts`] : [`src/${name}/**/*.ts`]);

/** One flat-config object per floor: imports of any part on this floor or above (but its own) are errors. */
export function layerRules() {
  return LAYERS.flatMap((floor, level) =>
    floor.map((name) => {
      const above = LAYERS.slice(level).flat().filter((other) => other !== name);
      return {
        files: filesOf(name),
        rules: {
          '@typescript-eslint/no-restricted-imports': [
            'error',
            {
              patterns: [
                {
                  regex: `^(\\.\\./)+(${above.join('|')})(/|$)`,
                  message: `src/${name} sits on floor ${level} (scripts/lint/layers.mjs): it may import only from the floors below, never from ${above.join(', ')}`,
                },
              ],
            },
          ],
        },
      };
    }),
  );
}
