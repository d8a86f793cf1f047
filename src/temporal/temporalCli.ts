import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The CLI version the dev server is pinned to (and built from source when nothing else works). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

/** Where a build for this data directory goes: built once, reused by every later start. */
export const builtCliDir = (dataDir: string) => join(dataDir, 'bin');

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * TEMPORAL_CLI_PATH, else `temporal` on PATH, else DATA_DIR/bin (an earlier build), else
 * $GOPATH/bin (a manual `go install`), else none.
 */
export function findTemporalCli(explicit?: string, dataDir?: string): string | null {
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} does not exist`);
    return explicit;
  }
  const candidates = [onPath('temporal'), dataDir ? join(builtCliDir(dataDir), 'temporal') : null, join(process.env.GOPATH || join(homedir(), 'go'), 'bin', 'temporal')];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

/** No binary, no download, no way to build one: what to install, in two lines, no stack. */
export class TemporalCliMissingError extends Error {
  constructor(why: string) {
    super(
      `No Temporal CLI: none on PATH, in TEMPORAL_CLI_PATH or DATA_DIR/bin, and ${why}.\n` +
        `Install it (https://github.com/temporalio/cli/releases, \`brew install temporal\`, or Go then \`go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}\`) and put it on PATH or set TEMPORAL_CLI_PATH.`,
    );
    this.name = 'TemporalCliMissingError';
    this.stack = this.message; // the message is the whole story: never print a trace for it
  }
}

/**
 * Builds the pinned CLI with the machine's Go into DATA_DIR/bin (several minutes, once),
 * reporting progress through `note` so a first start never looks hung.
 */
export async function buildTemporalCli(dataDir: string, note: (line: string) => void, why: string): Promise<string> {
  const go = onPath('go');
  if (!go) throw new TemporalCliMissingError(`${why}; Go is not installed to build it`);
  const dir = builtCliDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const target = `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`;
  note(`Temporal CLI not found and ${why}: building ${target} with ${go} into ${dir} (once, a few minutes; later starts reuse it)`);
  const t0 = Date.now();
  const child = spawn(go, ['install', target], { env: { ...process.env, GOBIN: dir }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const ticker = setInterval(() => note(`still building the Temporal CLI (${Math.round((Date.now() - t0) / 1000)} s)...`), 20_000);
  const code = await new Promise<number | null>((done) => {
    child.once('error', () => done(-1));
    child.once('exit', (c) => done(c));
  }).finally(() => clearInterval(ticker));
  const built = join(dir, 'temporal');
  if (code !== 0 || !existsSync(built)) {
    const last = stderr.trim().split('\n').pop() ?? `exit ${code}`;
    throw new TemporalCliMissingError(`${why}; building it with Go failed (${last})`);
  }
  note(`Temporal CLI built in ${Math.round((Date.now() - t0) / 1000)} s: ${built}`);
  return built;
}
