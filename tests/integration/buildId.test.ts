import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { workerBuildId } from '../../src/temporal/buildId';

const dirs: string[] = [];
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'buildid-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.2.3' }));
  mkdirSync(join(dir, 'workflows'));
  writeFileSync(join(dir, 'workflows', 'a.ts'), 'export const a = 1;\n');
  return dir;
}
const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { encoding: 'utf8' }).trim();
const env = {};

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('workerBuildId', () => {
  it('is the package version and the commit in a clean checkout', () => {
    const dir = project();
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'x');
    expect(workerBuildId({ root: dir, env })).toBe(`1.2.3+${git(dir, 'rev-parse', '--short=12', 'HEAD')}`);
  });

  it('adds .dirty.<hash> for uncommitted changes, a different hash for a different change', () => {
    const dir = project();
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'x');
    const commit = git(dir, 'rev-parse', '--short=12', 'HEAD');
    writeFileSync(join(dir, 'workflows', 'a.ts'), 'export const a = 2;\n');
    const one = workerBuildId({ root: dir, env });
    expect(one).toMatch(new RegExp(`^1\\.2\\.3\\+${commit}\\.dirty\\.[0-9a-f]{12}$`));
    expect(workerBuildId({ root: dir, env })).toBe(one); // stable for the same change
    writeFileSync(join(dir, 'workflows', 'a.ts'), 'export const a = 3;\n');
    const two = workerBuildId({ root: dir, env });
    expect(two).not.toBe(one);
    writeFileSync(join(dir, 'workflows', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(dir, 'workflows', 'new.ts'), 'export {};\n'); // an untracked file is a change too
    expect(workerBuildId({ root: dir, env })).toMatch(/\.dirty\./);
  });

  it('hashes the source when there is no git, and the hash follows the code', () => {
    const dir = project();
    const a = workerBuildId({ root: dir, env });
    expect(a).toMatch(/^1\.2\.3\+src\.[0-9a-f]{12}$/);
    writeFileSync(join(dir, 'workflows', 'a.ts'), 'export const a = 9;\n');
    expect(workerBuildId({ root: dir, env })).not.toBe(a);
  });

  it('WORKER_BUILD_ID overrides', () => {
    expect(workerBuildId({ root: project(), env: { WORKER_BUILD_ID: 'release-42' } })).toBe('release-42');
  });
});
