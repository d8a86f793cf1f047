import { executeChild, workflowInfo } from '@temporalio/workflow';
import { saturdaysBetween } from '../src/util/dates';
import type { RetrainInput } from './types';
import { weeklyRetrain } from './weeklyRetrain';

export interface BackfillInput {
  from: string;
  to: string;
  /** The schedule's action input (source, tasks, models, config); the as-of is set per week. */
  input: RetrainInput;
}

export interface BackfillResult {
  lineage: string;
  runs: { asOf: string; workflowId: string; runId: string; championChanged: boolean }[];
}

/**
 * Replays the weekly policy over past Saturdays, one week after the other, in a registry
 * lineage of its own: each week is compared with this backfill's champion as of that week,
 * and today's live champion never moves.
 */
export async function retrainBackfill(b: BackfillInput): Promise<BackfillResult> {
  const lineage = `backfill:${workflowInfo().workflowId}`;
  const runs: BackfillResult['runs'] = [];
  for (const asOf of saturdaysBetween(b.from, b.to)) {
    const workflowId = `${workflowInfo().workflowId}-${asOf}`;
    const r = await executeChild(weeklyRetrain, { workflowId, workflowTaskTimeout: '60s', staticSummary: `Backfill week as of ${asOf} · lineage ${lineage}`, args: [{ ...b.input, asOf, trigger: 'backfill', lineage }] });
    runs.push({ asOf, workflowId, runId: r.runId, championChanged: r.championChanged });
  }
  return { lineage, runs };
}
