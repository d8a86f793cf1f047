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

  async function run(input: StudyInput, units: number, serveUnits = 0) {
    const log: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const fitted = new Map<string, number>();
    const activities: Pick<A, 'planStudy' | 'fitStudy' | 'decideStudy' | 'assessStudy'> = {
      planStudy: async (a) => {
        log.push(`plan ${a.input.arms.join(',')}`);
        return { datasetId: 'd-1', units, policy: a.input.arms.some((x) => x.startsWith('policy:')) };
      },
      fitStudy: async (a) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        const id = `${a.serve ? 'serve' : 'fit'} ${a.unit}`;
        fitted.set(id, (fitted.get(id) ?? 0) + 1);
        log.push(id);
        inFlight--;
        return { unit: a.unit, source: a.unit % 3 === 0 ? 'reused' : 'fitted', seconds: 0 };
      },
      decideStudy: async () => {
        log.push('decide');
        return { units: serveUnits, trained: 0 };
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
    expect([...fitted.keys()].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `fit ${i}`).sort());
    expect([...fitted.values()].every((n) => n === 1)).toBe(true);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(log[0]).toBe('plan plain,default');
    expect(log.at(-1)).toBe('assess d-1');
    expect(result).toMatchObject({ units: 10, fitted: 6, arms: 2, verdicts: ['v'], trainedInAssessment: 0 });
  });

  it('policy arms: the gate replay after the planned fits, then the refits it serves, then the assessment', async () => {
    const { result, log, fitted } = await run({ ...input(2), arms: ['policy:gated', 'policy:baseline'], from: '2010-06-01' }, 4, 3);
    expect([...fitted.values()].every((n) => n === 1)).toBe(true);
    const decide = log.indexOf('decide');
    expect(log.slice(1, decide).sort()).toEqual(['fit 0', 'fit 1', 'fit 2', 'fit 3']);
    expect(log.slice(decide + 1, -1).sort()).toEqual(['serve 0', 'serve 1', 'serve 2']);
    expect(log.at(-1)).toBe('assess d-1');
    expect(result.units).toBe(7);
  });

  it('a study with nothing to fit goes straight to the assessment', async () => {
    const { result, log } = await run(input(), 0);
    expect(log).toEqual(['plan plain,default', 'assess d-1']);
    expect(result.units).toBe(0);
  });
});
