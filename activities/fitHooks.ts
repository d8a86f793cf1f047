import { Context } from '@temporalio/activity';
import type { FitHooks } from '../src/evaluation/protocol';
import type { ModelJSON } from '../src/models/classifier';
import { deleteCheckpoint, loadCheckpoint, saveCheckpoint } from '../src/store/checkpointStore';
import type { ActivityDeps } from './deps';
import { heartbeatProgress } from './steps';

/**
 * Heartbeats, cancellation and crash recovery for a training activity: a checkpoint of the
 * partial model is written at most every `checkpointSeconds` and named in the heartbeat, so a
 * retry after a worker crash resumes from it (forests and boosting resume exactly).
 */
export async function trainingHooks(deps: ActivityDeps, runId: string, step: string, label: string, checkpointSeconds: number): Promise<{ hooks: FitHooks; done(): Promise<void>; resumedFrom: number | null }> {
  const ctx = Context.current();
  const last = ctx.info.heartbeatDetails as { checkpoint?: number } | undefined;
  const resumeFrom = last?.checkpoint ? await loadCheckpoint(deps.db, runId, step, last.checkpoint) : null;
  const hb = { checkpoint: resumeFrom ? (last?.checkpoint ?? 0) : 0 };
  let lastSave = Date.now();
  const onCheckpoint = async (state: () => ModelJSON, iteration: number) => {
    if (Date.now() - lastSave < checkpointSeconds * 1000) return;
    await saveCheckpoint(deps.db, runId, step, iteration, state());
    lastSave = Date.now();
    hb.checkpoint = iteration;
    ctx.heartbeat({ checkpoint: iteration, label });
  };
  return {
    hooks: { resumeFrom, onCheckpoint, ...heartbeatProgress(label, hb) },
    done: () => deleteCheckpoint(deps.db, runId, step),
    resumedFrom: resumeFrom ? hb.checkpoint : null,
  };
}
