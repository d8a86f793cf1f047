import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configCoverage, configKeys, envVarsRead, renderConfigReference } from '../../../scripts/docs/configReference';

const ROOT = process.cwd();

describe('docs/configuration.md', () => {
  it('describes every environment variable the code reads and every --config key, and nothing else', () => {
    const c = configCoverage(ROOT);
    expect(c.undescribed, 'add these to scripts/docs/configDescriptions.ts, then npm run docs:config').toEqual([]);
    expect(c.unread, 'the code no longer has these: drop them from scripts/docs/configDescriptions.ts').toEqual([]);
  });

  it('is what `npm run docs:config` writes (run it after changing a variable, key, default or description)', () => {
    expect(readFileSync('docs/configuration.md', 'utf8')).toBe(renderConfigReference(ROOT));
  });

  it('finds reads of the environment, not writes (the scan bites)', () => {
    // Spelled PROCESS/ENV here so that scanning this file finds nothing.
    const src = [
      "const a = PROCESS.ENV.NEW_VAR ?? 'x';",
      'const b = ENV.OTHER_VAR?.trim();',
      "const c = PROCESS.ENV['BRACKETED'];",
      'spawn(cmd, { env: { ...PROCESS.ENV, WRITTEN_ONLY: dir } });',
    ]
      .join('\n')
      .replace(/PROCESS\.ENV/g, 'process.env')
      .replace(/ENV\./g, 'env.');
    expect(envVarsRead(src)).toEqual(['BRACKETED', 'NEW_VAR', 'OTHER_VAR']);
  });

  it('takes keys and defaults from the run config schema', () => {
    const keys = new Map(configKeys().map((k) => [k.path, k]));
    expect(keys.get('gate.alpha')).toMatchObject({ type: 'number', default: '`0.05`' });
    expect(keys.get('dataset.split.trainWindowDays')).toMatchObject({ type: 'integer or `null`', default: '`null`' });
    expect(keys.get('dataset.regimeThresholds.crashVix')?.default).toBe('`30`');
    expect(keys.has('dataset.split')).toBe(false);
  });
});
