import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

it('the regime-retrain bin starts the CLI', () => {
  const r = spawnSync(process.execPath, [resolve('bin/regime-retrain.mjs'), '--help'], { encoding: 'utf8', timeout: 60_000 });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/Usage: regime-retrain/);
  for (const command of ['dev', 'worker', 'migrate', 'run', 'runs', 'predict', 'models', 'schedule']) expect(r.stdout).toMatch(new RegExp(`\\n  ${command} `));
});
