import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sha256 } from '../util/hash';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What a deployed copy without `.git` hashes: everything that decides what a worker does. */
const SOURCE_PATHS = ['package.json', 'package-lock.json', 'activities', 'migrations', 'src', 'worker', 'workflows'];

const git = (root: string, args: string[]): string => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

function filesUnder(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .sort()
    .flatMap((name) => filesUnder(root, join(path, name)));
}

const short = (h: Sha256) => h.hex().slice(0, 12);

/** Hash of the source tree: stands in for the commit when the code was copied without git. */
function sourceHash(root: string): string {
  const h = new Sha256();
  for (const f of SOURCE_PATHS.flatMap((p) => filesUnder(root, p))) h.add(relative(root, join(root, f))).add('\0').add(readFileSync(join(root, f))).add('\0');
  return short(h);
}

/** Hash of what differs from HEAD (tracked changes and untracked files), or null when clean. */
function dirtyHash(root: string): string | null {
  const status = git(root, ['status', '--porcelain', '--untracked-files=all']);
  if (status.trim() === '') return null;
  const h = new Sha256().add(git(root, ['diff', 'HEAD', '--binary']));
  for (const f of git(root, ['ls-files', '--others', '--exclude-standard', '-z']).split('\0').filter(Boolean).sort()) {
    h.add(f).add('\0').add(readFileSync(join(root, f))).add('\0');
  }
  return short(h);
}

/**
 * The code version a worker runs, for Temporal worker versioning and for the run and model
 * rows: `<package version>+<commit>`, with `.dirty.<hash of the changes>` when the checkout
 * differs from its commit (two different edits never share an id), or `+src.<hash>` for a copy
 * without git. `WORKER_BUILD_ID` overrides it (e.g. a CI-assigned image tag).
 */
export function workerBuildId(o: { env?: NodeJS.ProcessEnv; root?: string } = {}): string {
  const env = o.env ?? process.env;
  const override = env.WORKER_BUILD_ID?.trim();
  if (override) {
    if (override.length > 200) throw new Error('WORKER_BUILD_ID must be at most 200 characters');
    return override;
  }
  const root = o.root ?? REPO_ROOT;
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  let commit: string;
  try {
    // A copy without .git that sits inside some other repository is not that repository's commit.
    if (realpathSync(git(root, ['rev-parse', '--show-toplevel']).trim()) !== realpathSync(root)) throw new Error('not the top level');
    commit = git(root, ['rev-parse', '--short=12', 'HEAD']).trim();
  } catch {
    return `${version}+src.${sourceHash(root)}`;
  }
  const dirty = dirtyHash(root);
  return `${version}+${commit}${dirty ? `.dirty.${dirty}` : ''}`;
}
