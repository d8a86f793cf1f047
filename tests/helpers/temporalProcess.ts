import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { findTemporalCli } from '../../src/temporal/devServer';

/**
 * The Temporal dev server as a plain OS process on a fixed port, persisting to a SQLite file
 * (`--db-filename`): unlike the SDK's test environment, a test can SIGKILL it like a crashed
 * server and start it again on the same port and file, with every workflow still there.
 */
export interface TemporalProcess {
  address: string;
  output(): string;
  /** SIGKILL: nothing is flushed or shut down cleanly. */
  kill(): Promise<void>;
  /** Start again on the same port and database file; resolves once the namespace answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTemporalProcess(o: { port: number; dbFile: string }): Promise<TemporalProcess> {
  const cli = findTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!cli) throw new Error('the temporal CLI is required (set TEMPORAL_CLI_PATH or put `temporal` on PATH)');
  const address = `127.0.0.1:${o.port}`;
  let out = '';
  let child: ChildProcess | null = null;
  const launch = async () => {
    child = spawn(cli, ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port), '--headless', '--db-filename', o.dbFile, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    await waitUntilServing(address, child, () => out);
  };
  const exit = (signal: NodeJS.Signals) =>
    new Promise<void>((done) => {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null || c.signalCode !== null) return done();
      c.once('exit', () => done());
      c.kill(signal);
    });
  await launch();
  return { address, output: () => out, kill: () => exit('SIGKILL'), restart: launch, stop: () => exit('SIGTERM') };
}

/** Polls until the frontend answers for the `default` namespace (the server creates it at start). */
async function waitUntilServing(address: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`temporal server exited before serving:\n${output()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (e) {
      if (Date.now() > until) throw new Error(`temporal server on ${address} not serving after ${timeoutMs} ms (${(e as Error).message}):\n${output()}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
