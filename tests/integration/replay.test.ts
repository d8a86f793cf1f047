import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../worker/createWorker';

const DIR = fileURLToPath(new URL('../histories', import.meta.url));
const INCOMPATIBLE = fileURLToPath(new URL('../fixtures/incompatibleWorkflow/index.ts', import.meta.url));
const histories = readdirSync(DIR)
  .filter((f) => f.endsWith('.binpb'))
  .map((f) => ({ name: f, history: proto.temporal.api.history.v1.History.decode(readFileSync(`${DIR}/${f}`)) }));

/**
 * Histories recorded from the released workflow code (`npm run histories:record`) must replay
 * on the current code: a change that breaks them would break runs in flight during a deploy.
 */
describe('replaying committed histories', () => {
  it('has histories to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(5);
  });

  it.each(histories.map((h) => [h.name, h] as const))('%s replays on the current workflow code', async (_name, h) => {
    await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, h.history, `replay-${h.name}`);
  });

  it('an incompatible workflow fails to replay them (the test bites)', async () => {
    for (const h of histories) {
      await expect(Worker.runReplayHistory({ workflowsPath: INCOMPATIBLE }, h.history, `replay-bad-${h.name}`)).rejects.toBeInstanceOf(DeterminismViolationError);
    }
  });
});
