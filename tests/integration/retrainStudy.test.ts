import { randomUUID } from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSteps, runs } from '../../src/db/schema';
import type { DevServer } from '../../src/temporal/devServer';
import { retrainStudy, type StudyInput } from '../../workflows/retrainStudy';
import { createTestDb, type TestDb } from '../helpers/postgres';
import { startTestServer } from '../helpers/temporal';
import { startWorkerProcess, waitFor, type WorkerProcess } from '../helpers/workerProcess';

describe('retrainStudy on the real Temporal server and Postgres', () => {
  let server: DevServer;
  let db: TestDb;
  beforeAll(async () => {
    [server, db] = await Promise.all([startTestServer(), createTestDb()]);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('fans the fits out as activities; a worker killed mid-study: the next one finishes it without refitting what was done', async () => {
    const taskQueue = `study-${randomUUID()}`;
    const env = { temporalAddress: server.address, databaseUrl: db.url, taskQueue };
    const input: StudyInput = {
      task: 'strategy',
      asOf: '2011-06-30',
      from: '2010-06-01',
      arms: ['plain', 'default', 'cadence:quarterly', 'cadence:once'],
      source: { kind: 'synthetic', seed: 5 },
      models: ['random_forest'],
      config: { checkpointSeconds: 1, gate: { bootstrapReps: 200 }, modelParams: { random_forest: { nTrees: 150, maxDepth: 6 } } },
      parallelism: 2,
    };
    let w1: WorkerProcess | null = startWorkerProcess(env);
    let w2: WorkerProcess | null = null;
    try {
      const h = await server.env.client.workflow.start(retrainStudy, { taskQueue, workflowId: `study-${randomUUID()}`, args: [input] });
      const runId = h.firstExecutionRunId;
      const fitSteps = () => db.db.select().from(runSteps).where(and(eq(runSteps.runId, runId), like(runSteps.step, 'study:fit:%')));
      const before = await waitFor('three finished fits', async () => {
        const s = (await fitSteps()).filter((x) => x.status === 'completed');
        return s.length >= 3 ? s : null;
      }, 240_000);
      await w1.kill('SIGKILL');
      w1 = null;
      w2 = startWorkerProcess(env);
      const result = await h.result();
      expect(result.runId).toBe(runId);
      expect(result.arms).toBe(4);
      expect(result.verdicts.length).toBeGreaterThan(0);
      const after = await fitSteps();
      expect(after).toHaveLength(result.units);
      expect(after.every((s) => s.status === 'completed')).toBe(true);
      // What finished before the kill was never fitted again: either Temporal had its result
      // (one attempt, untouched), or the kill came between the step's end and the result
      // reaching the server, and the retry found the fit in the fold cache.
      for (const b of before) {
        const a = after.find((x) => x.step === b.step)!;
        if (a.attempt === 1) expect(a.finishedAt?.getTime()).toBe(b.finishedAt?.getTime());
        else expect((a.summary as { source: string }).source).not.toBe('fitted');
      }
      expect(before.filter((b) => after.find((x) => x.step === b.step)!.attempt === 1).length).toBeGreaterThanOrEqual(before.length - input.parallelism!);
      // Each distinct fit trained once: an activity in flight at the kill whose fit had already
      // reached the fold cache finds it there on its retry (reused), and the assessment reused them all.
      const notFitted = after.filter((s) => (s.summary as { source: string }).source !== 'fitted');
      expect(notFitted.length).toBeLessThanOrEqual(input.parallelism!);
      for (const s of notFitted) expect(s.attempt).toBeGreaterThanOrEqual(2);
      expect(result.fitted).toBe(result.units - notFitted.length);
      expect(result.trainedInAssessment).toBe(0);
      const [row] = await db.db.select().from(runs).where(eq(runs.id, runId));
      expect(row.trigger).toBe('study');
      const doc = row.summary as { arms: { name: string; vsReferences: { reference: string; ci95: number[]; n: number }[] }[] };
      expect(doc.arms.map((a) => a.name)).toEqual(input.arms);
      expect(doc.arms.find((a) => a.name === 'cadence:once')!.vsReferences[0]).toMatchObject({ reference: 'cadence:quarterly' });
    } catch (e) {
      console.error(`worker 1 output:\n${w1?.output().slice(-3000) ?? '(killed)'}\nworker 2 output:\n${w2?.output().slice(-3000) ?? ''}`);
      throw e;
    } finally {
      await w1?.kill();
      await w2?.kill('SIGTERM');
    }
  }, 900_000);

  it('policy arms fan out too: the gate replay trains nothing, the refits it serves are activities of their own', async () => {
    const taskQueue = `study-${randomUUID()}`;
    const input: StudyInput = {
      task: 'strategy',
      asOf: '2011-06-30',
      from: '2011-03-01',
      arms: ['policy:gated', 'policy:always', 'policy:baseline'],
      source: { kind: 'synthetic', seed: 5, planted: 0.01 },
      models: ['logistic'],
      config: { gate: { bootstrapReps: 100 } },
      parallelism: 2,
    };
    const w = startWorkerProcess({ temporalAddress: server.address, databaseUrl: db.url, taskQueue });
    try {
      const result = await server.env.client.workflow.execute(retrainStudy, { taskQueue, workflowId: `study-${randomUUID()}`, args: [input] });
      const steps = await db.db.select().from(runSteps).where(eq(runSteps.runId, result.runId));
      const fits = steps.filter((s) => s.step.startsWith('study:fit:'));
      const serves = steps.filter((s) => s.step.startsWith('study:serve:'));
      expect(serves.length).toBeGreaterThan(0);
      expect(steps.find((s) => s.step === 'study:decide')?.status).toBe('completed');
      expect(fits.length + serves.length).toBe(result.units);
      expect(result.fitted).toBe(result.units);
      expect(result.trainedInAssessment).toBe(0);
      const [row] = await db.db.select().from(runs).where(eq(runs.id, result.runId));
      const doc = row.summary as { arms: { name: string; deployments: Record<string, number> }[] };
      expect(doc.arms.map((a) => a.name)).toEqual(input.arms);
      expect(Object.values(doc.arms[0].deployments).reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
    } catch (e) {
      console.error(`worker output:\n${w.output().slice(-3000)}`);
      throw e;
    } finally {
      await w.kill('SIGTERM');
    }
  }, 600_000);
});
