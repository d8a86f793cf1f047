import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { lockPathFor, readLock } from '../../src/db/embedded/dirLock';
import { openEmbedded } from '../../src/db/embedded/embeddedDatabase';
import { models, runs } from '../../src/db/schema';
import { DEFAULT_MODEL_KINDS } from '../../src/models/modelKinds';
import { findTemporalCli } from '../../src/temporal/devServer';
import { descendants, embeddedEnv, freePort, runCli, startCli, type CliProcess, type CliResult } from '../helpers/cliProcess';
import { fastInput } from '../helpers/fastConfig';

/**
 * The README's quick start, as a user runs it: `npm start` (the `dev` command, embedded
 * PGlite, nothing configured but a temp DATA_DIR) with its retrain running, and the CLI from
 * other processes meanwhile. Then `dev` is stopped and the database must open again, whole.
 */
const temporalCli = findTemporalCli(process.env.TEMPORAL_CLI_PATH);
// Fourteen years of the synthetic market (three walk-forward folds) and the fast model
// settings: a real run of every model kind, short enough that the test's CLI rounds overlap it.
const FAST_DEMO = ['--as-of', '2014-06-30', '--task', 'strategy', '--config', JSON.stringify(fastInput().config)];
const NO_DECISION_YET = 'no retrain has decided anything for task strategy yet: run one (or pass --feed)';

/** Every `dev` started here; whatever a failing test leaves running is ended by pid afterwards. */
const devs: CliProcess[] = [];
function startDev(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const dev = startCli(['dev', ...args], env);
  devs.push(dev);
  return dev;
}

function killWithDescendants(pid: number) {
  for (const p of [...descendants(pid), pid]) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

const dataDirs: string[] = [];
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rr-embedded-'));
  dataDirs.push(dir);
  return dir;
};

afterAll(() => {
  for (const d of devs) if (d.child.exitCode === null && d.child.signalCode === null) killWithDescendants(d.child.pid!);
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** One training worker per `dev`: the two cases run side by side on two cores, with the CLI rounds. */
async function devEnv(dataDir: string) {
  return embeddedEnv({ DATA_DIR: dataDir, REPORTS_DIR: join(dataDir, 'reports'), TEMPORAL_CLI_PATH: temporalCli ?? '', TEMPORAL_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()), LOG_LEVEL: 'info', WORKER_MAX_CONCURRENT_ACTIVITIES: '1' });
}

/** The run's status from `runs list` output. */
const statusIn = (listing: string, workflowId: string) => listing.split('\n').find((l) => l.includes(workflowId))?.split('\t')[4];

/** Every command must answer: its result, or (predict, before the first promotion) the domain's own "no champion". */
function expectAnswered(round: CliResult[], workflowId: string, champion: 'maybe' | 'required') {
  for (const r of round) {
    const what = `${r.args.join(' ')} (exit ${r.code}, ${r.ms} ms): ${r.stderr.slice(-500)}`;
    expect(r.stderr, what).not.toMatch(/Aborted|RuntimeError|ECONNREFUSED|in use by|timeout/i);
    if (r.args[0] === 'predict' && champion === 'maybe' && r.code === 1) {
      expect(r.stderr.trim(), what).toBe(NO_DECISION_YET);
      continue;
    }
    expect(r.code, what).toBe(0);
    if (r.args[0] === 'predict') {
      // The champion, or, when the gate deployed nothing, the best baseline labelled as such.
      const meta = JSON.parse(r.stdout.trim().split('\n')[0]!).model_metadata;
      if (meta.is_baseline) expect(meta.kind, what).toMatch(/^baseline:/);
      else expect(meta.model_id, what).toMatch(/^m_/);
    }
    else if (r.args[1] === 'list') expect(r.stdout, what).toContain(workflowId);
    else if (r.args[1] === 'show') expect(JSON.parse(r.stdout).run.workflowId, what).toBe(workflowId);
    else expect(readFileSync(r.stdout.trim(), 'utf8'), what).toMatch(/^<!doctype html>/i);
  }
}

const round = (env: NodeJS.ProcessEnv, workflowId: string) =>
  Promise.all([runCli(['runs', 'list'], env), runCli(['runs', 'show', workflowId], env), runCli(['predict', '--task', 'strategy'], env), runCli(['runs', 'report', workflowId], env)]);

/**
 * Starts the embedded default with the fast demo retrain and, while it runs, queries it from
 * other processes: `rounds` rounds of all four commands at once, each round starting while
 * the run is still running. With `thenAll`, once the run is over, one more round in which
 * every command must answer with data.
 */
async function retrainWhileQueried(dataDir: string, o: { rounds: number; thenAll: boolean }): Promise<{ dev: CliProcess; workflowId: string }> {
  const env = await devEnv(dataDir);
  const dev = startDev(FAST_DEMO, env);
  await dev.waitForOutput(/DATABASE_URL=postgresql:\/\/postgres:[^@\s]+@127\.0\.0\.1:\d+\/template1/, 120_000);
  const [, workflowId] = await dev.waitForOutput(/retrain started: workflow (\S+),/, 120_000);
  await dev.waitForOutput(new RegExp(`"workflowId":"${workflowId}".*"msg":"run started"`), 120_000); // its row is written

  for (let i = 0; i < o.rounds; i++) {
    const answers = await round(env, workflowId!);
    expectAnswered(answers, workflowId!, 'maybe');
    // Fewer rounds than asked overlapped the run: the test would not show what it claims.
    expect(statusIn(answers[0]!.stdout, workflowId!), `round ${i + 1}`).toBe('running');
  }
  await dev.waitForOutput(/Ctrl-C to stop/, 300_000); // the run's summary: it is over
  // Training runs in dev's child worker processes: no workflow task waited on it (TMPRL1104:
  // "workflow task duration exceeded"), although those children wrote to the database served here.
  expect(dev.output()).toMatch(/started \d+ training worker processes/);
  expect(dev.output()).not.toMatch(/TMPRL1104|Workflow task duration exceeded/i);
  // Finished: now every command answers with data, predict included.
  if (o.thenAll) expectAnswered(await round(env, workflowId!), workflowId!, 'required');
  return { dev, workflowId: workflowId! };
}

/** The database opens again (by this process, directly) and holds the completed run with all its models, intact. */
async function expectRunStored(dataDir: string, workflowId: string) {
  const db = await openEmbedded(join(dataDir, 'pglite'), { command: 'test' });
  try {
    const [run] = await db.db.select().from(runs).where(eq(runs.workflowId, workflowId));
    expect(run?.status).toBe('completed');
    const stored = await db.db.select().from(models).where(eq(models.runId, run!.id));
    // Every kind's candidate (trained up to the final window) and the selected configuration's refit.
    expect(stored.filter((m) => m.role === 'candidate').map((m) => m.kind).sort()).toEqual([...DEFAULT_MODEL_KINDS].sort());
    expect(stored.filter((m) => m.role === 'refit').length).toBeGreaterThanOrEqual(1);
    for (const m of stored) expect(createHash('sha256').update(m.artifact).digest('hex')).toBe(m.artifactSha256);
  } finally {
    await db.close();
  }
}

async function stop(dev: CliProcess, signal: NodeJS.Signals) {
  dev.child.kill(signal);
  const exit = await Promise.race([dev.exited, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
  expect(exit, `did not stop on ${signal}:\n${dev.output().slice(-2000)}`).not.toBeNull();
  return exit!;
}

/** A clean stop: exit 0 after the process's own "stopped", and its lock removed. */
async function expectCleanStop(dev: CliProcess, signal: 'SIGINT' | 'SIGTERM', dataDir: string) {
  const exit = await stop(dev, signal);
  expect(exit.code, dev.output().slice(-2000)).toBe(0);
  expect(dev.output()).toMatch(/"msg":"stopped"/);
  expect(existsSync(lockPathFor(join(dataDir, 'pglite')))).toBe(false);
}

describe.skipIf(!temporalCli && !process.env.CI)('the embedded database under `npm start` and the CLI at once', () => {
  // The two cases run side by side: each is mostly one busy process, and there are two cores.
  it.concurrent('serves every concurrent CLI command during a retrain, stops cleanly on SIGINT, and reopens whole', async () => {
    const dataDir = newDataDir();
    const { dev, workflowId } = await retrainWhileQueried(dataDir, { rounds: 2, thenAll: true });
    await expectCleanStop(dev, 'SIGINT', dataDir);
    await expectRunStored(dataDir, workflowId);
  }, 480_000); // a generous margin: machines running the suite are often shared

  it.concurrent('survives SIGKILL of npm start: the stale lock is cleared, npm start reopens it, and SIGTERM stops it cleanly', async () => {
    const dataDir = newDataDir();
    // One round of the CLI meanwhile (the first case covers more); killed once the run is done.
    const { dev, workflowId } = await retrainWhileQueried(dataDir, { rounds: 1, thenAll: false });
    const pid = dev.child.pid!;
    const leftBehind = descendants(pid); // the Temporal dev server, which a SIGKILL orphans
    try {
      expect((await stop(dev, 'SIGKILL')).signal).toBe('SIGKILL');
    } finally {
      leftBehind.forEach(killWithDescendants);
    }
    expect(readLock(lockPathFor(join(dataDir, 'pglite')))?.pid).toBe(pid); // stale: its holder is dead

    // A new npm start takes the directory over and serves the recovered database.
    const env = await devEnv(dataDir);
    const again = startDev(['--no-run'], env);
    await again.waitForOutput(/DATABASE_URL=/, 90_000);
    expect(readLock(lockPathFor(join(dataDir, 'pglite')))?.pid).toBe(again.child.pid);
    const shown = await runCli(['runs', 'show', workflowId], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).run.status).toBe('completed');
    // A second npm start meanwhile is refused in one line naming the holder.
    const second = await runCli(['dev', '--no-run'], env);
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toMatch(new RegExp(`^the embedded database \\S+ is already served by process ${again.child.pid} .*stop that one first`));
    expect(second.stderr.trim()).not.toContain('\n');
    await expectCleanStop(again, 'SIGTERM', dataDir);
    await expectRunStored(dataDir, workflowId);
  }, 480_000);
});
