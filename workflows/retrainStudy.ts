import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { RetrainInput, TaskName } from './types';

/** What a study is asked (the `study` command's flags). */
export interface StudyInput {
  task: TaskName;
  asOf: string;
  from?: string;
  arms: string[];
  source: RetrainInput['source'];
  models?: string[];
  config?: RetrainInput['config'];
  /** Fits in flight at once (spread over the task queue's trainers). */
  parallelism?: number;
}

export interface StudyRef {
  runId: string;
  datasetId: string;
}

export interface StudyResult {
  runId: string;
  units: number;
  fitted: number;
  arms: number;
  verdicts: string[];
  /** Fits trained outside the fan-outs (by the gate replay or the assessment): 0 when every fit came from the trainers. */
  trainedInAssessment: number;
}

const retry = { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 };

const { planStudy, decideStudy, assessStudy } = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '4 hours', heartbeatTimeout: '5 minutes', retry });
const { fitStudy } = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '2 hours', heartbeatTimeout: '2 minutes', retry });

/**
 * The study on a Temporal cluster: plan, then every distinct fit as its own activity (at most
 * `parallelism` in flight, spread over the trainers), then the assessment. With policy arms, the
 * gate is replayed week by week on the fitted protocol folds first, and the refits its decisions
 * serve fan out in turn. Only ids and small summaries travel through history; the fits live in the
 * fold cache, so a retried or resumed study refits nothing it finished.
 */
export async function retrainStudy(input: StudyInput): Promise<StudyResult> {
  const { runId, workflowId } = workflowInfo();
  const plan = await planStudy({ runId, workflowId, input });
  const ref = { runId, datasetId: plan.datasetId };
  let fitted = 0;
  const fanOut = async (units: number, serve: boolean) => {
    let next = 0;
    const lane = async () => {
      while (next < units) {
        const unit = next++;
        const r = await fitStudy({ ...ref, unit, ...(serve ? { serve } : {}) });
        if (r.source === 'fitted') fitted++;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(input.parallelism ?? 4, units)) }, lane));
  };
  await fanOut(plan.units, false);
  let units = plan.units;
  // `policy` is absent from plans recorded before the replay was split out: those studies replay in the assessment, as they did.
  if (plan.policy) {
    const d = await decideStudy(ref);
    await fanOut(d.units, true);
    units += d.units;
  }
  const a = await assessStudy(ref);
  return { runId, units, fitted, arms: a.arms, verdicts: a.verdicts, trainedInAssessment: a.trained };
}
