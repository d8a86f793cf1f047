import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createActivities } from '../../activities';
import type { DevServer } from '../../src/temporal/devServer';
import { WORKFLOWS_PATH } from '../../worker/createWorker';
import { retrainStudy, type StudyInput } from '../../workflows/retrainStudy';
import { startTestServer } from '../helpers/temporal';

type A = ReturnType<typeof createActivities>;

/** retrainStudy's own logic on the real dev server with mocked activities: fan-out, bounded parallelism, ordering. */
describe('retrainStudy branches, with mocked activities', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function run(input: StudyInput, units: number) {
    const log: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const fitted = new Map<number, number>();
    const activities: Pick<A, 'planStudy' | 'fitStudy' | 'assessStudy'> = {
      planStudy: async (a) => {
        log.push(`plan ${a.input.arms.join(',')}`);
        return { datasetId: 'd-1', units };
      },
      fitStudy: async (a) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        fitted.set(a.unit, (fitted.get(a.unit) ?? 0) + 1);
        log.push(`fit ${a.unit}`);
        inFlight--;
        return { unit: a.unit, source: a.unit % 3 === 0 ? 'reused' : 'fitted', seconds: 0 };
      },
      assessStudy: async (a) => {
        log.push(`assess ${a.datasetId}`);
        return { arms: input.arms.length, verdicts: ['v'], trained: 0, reused: units };
      },
    };
    const taskQueue = `study-branches-${randomUUID()}`;
    const worker = await Worker.create({ connection: server.env.nativeConnection, taskQueue, workflowsPath: WORKFLOWS_PATH, activities: activities as unknown as A });
    const result = await worker.runUntil(server.env.client.workflow.execute(retrainStudy, { taskQueue, workflowId: `sb-${randomUUID()}`, args: [input] }));
    return { result, log, maxInFlight, fitted };
  }
  const input = (parallelism?: number): StudyInput => ({ task: 'strategy', asOf: '2011-06-30', arms: ['plain', 'default'], source: { kind: 'synthetic' }, ...(parallelism ? { parallelism } : {}) });

  it('fits every unit exactly once, at most `parallelism` at a time, then assesses', async () => {
    const { result, log, maxInFlight, fitted } = await run(input(3), 10);
    expect([...fitted.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...fitted.values()].every((n) => n === 1)).toBe(true);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(log[0]).toBe('plan plain,default');
    expect(log.at(-1)).toBe('assess d-1');
    expect(result).toMatchObject({ units: 10, fitted: 6, arms: 2, verdicts: ['v'], trainedInAssessment: 0 });
  });

  it('a study with nothing to fit goes straight to the assessment', async () => {
    const { result, log } = await run(input(), 0);
    expect(log).toEqual(['plan plain,default', 'assess d-1']);
    expect(result.units).toBe(0);
  });
});
