import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The product's CLI (`src/cli/main.ts`) as its own OS process, the way a user runs it. */
export interface CliResult {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const MAIN = resolve('src/cli/main.ts');

/** The environment of the embedded default: no DATABASE_URL, no TEMPORAL_ADDRESS. */
export function embeddedEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_FORMAT: 'json', ...extra };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  return env;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<CliResult> {
  const t0 = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((done) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ args, code, stdout, stderr, ms: Date.now() - t0 });
    }),
  );
}

/** A long-running CLI command (`dev`) whose output the test watches. */
export interface CliProcess {
  child: ChildProcess;
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  return {
    child,
    output: () => out,
    exited,
    async waitForOutput(pattern, timeoutMs = 120_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const m = out.match(pattern);
        if (m) return m;
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`process exited before printing ${pattern}:\n${out}`);
        if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}

/** Every descendant of `pid` (Linux /proc), so a test can end what a killed process left running. */
export function descendants(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (list) children.push(...list.split(' ').map(Number));
    }
  } catch {
    // the process (or a thread) ended while we looked
  }
  return children.flatMap((c) => [c, ...descendants(c)]);
}

export { freeLocalPort as freePort } from '../../src/util/freePort';
