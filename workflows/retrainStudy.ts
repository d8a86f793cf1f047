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
  /** Fits the assessment had to train itself (0 unless policy arms were asked: every other fit came from the fan-out). */
  trainedInAssessment: number;
}

const retry = { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 };

const { planStudy, assessStudy } = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '4 hours', heartbeatTimeout: '5 minutes', retry });
const { fitStudy } = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '2 hours', heartbeatTimeout: '2 minutes', retry });

/**
 * The study on a Temporal cluster: plan, then every distinct fit as its own activity (at most
 * `parallelism` in flight, spread over the trainers), then the assessment. Only ids and small
 * summaries travel through history; the fits live in the fold cache, so a retried or resumed
 * study refits nothing it finished.
 */
export async function retrainStudy(input: StudyInput): Promise<StudyResult> {
  const { runId, workflowId } = workflowInfo();
  const plan = await planStudy({ runId, workflowId, input });
  const ref = { runId, datasetId: plan.datasetId };
  let next = 0;
  let fitted = 0;
  const lane = async () => {
    while (next < plan.units) {
      const unit = next++;
      const r = await fitStudy({ ...ref, unit });
      if (r.source === 'fitted') fitted++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(input.parallelism ?? 4, plan.units)) }, lane));
  const a = await assessStudy(ref);
  return { runId, units: plan.units, fitted, arms: a.arms, verdicts: a.verdicts, trainedInAssessment: a.trained };
}
