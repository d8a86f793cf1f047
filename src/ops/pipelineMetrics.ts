import type { PipelineTotals } from '../store/opsMetricsStore';
import type { TrendPoint } from '../reports/runTrend';
import { Family } from './exposition';

const RUN_BUCKETS = [60, 120, 300, 600, 1800, 3600, 7200, 14_400, 28_800];
const STEP_BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 10_800];

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

/**
 * The pipeline's own metrics, `regime_retrain_*`, from the run store: run and step durations,
 * rows ingested, the live champion's metric per task, promotions, drift flags, failures by type.
 * `champions` holds each task's newest decided point of the live lineage (see runTrend.ts).
 */
export function renderPipelineMetrics(t: PipelineTotals, champions: { task: string; point: TrendPoint }[]): string {
  const runs = new Family('regime_retrain_runs_total', 'counter', 'Finished retrain runs by status (completed, failed, cancelled) and trigger.');
  const running = new Family('regime_retrain_runs_running', 'gauge', 'Retrain runs currently running.');
  for (const r of t.runCounts) {
    if (r.status === 'running') running.sample({ trigger: r.trigger }, r.n);
    else runs.sample({ status: r.status, trigger: r.trigger }, r.n);
  }
  const runDur = new Family('regime_retrain_run_duration_seconds', 'histogram', 'Wall-clock duration of finished retrain runs.');
  for (const [status, rows] of groupBy(t.runDurations, (r) => r.status)) runDur.histogram({ status }, rows.map((r) => Number(r.seconds)), RUN_BUCKETS);
  const stepDur = new Family('regime_retrain_step_duration_seconds', 'histogram', 'Duration of finished pipeline steps (activities), by step and task.');
  for (const [k, rows] of groupBy(t.stepDurations, (r) => `${r.step}\u0000${r.task}`)) {
    const [step, task] = k.split('\u0000');
    stepDur.histogram({ step: step!, task: task! }, rows.map((r) => Number(r.seconds)), STEP_BUCKETS);
  }
  const rows = new Family('regime_retrain_rows_ingested_total', 'counter', 'Market data rows written by the ingest step of completed runs.').sample({}, t.rowsIngested);
  const metric = new Family('regime_retrain_champion_metric', 'gauge', "The live champion's walk-forward metrics at its task's newest decision.");
  const lead = new Family('regime_retrain_champion_lead_over_baseline', 'gauge', "The live champion's lead over the best baseline on the primary metric (bootstrap CI bounds in `bound`).");
  const info = new Family('regime_retrain_champion_info', 'gauge', 'The live champion per task (value 1), its kind and the primary metric.');
  for (const { task, point } of champions) {
    if (!point.champion) continue;
    info.sample({ task, kind: point.champion.kind, primary_metric: point.primaryMetric ?? '' }, 1);
    for (const [name, v] of Object.entries(point.metrics ?? {})) if (v !== null) metric.sample({ task, metric: name }, v);
    if (point.lead) {
      lead.sample({ task, bound: 'estimate' }, point.lead.diff);
      lead.sample({ task, bound: 'low' }, point.lead.lo);
      lead.sample({ task, bound: 'high' }, point.lead.hi);
    }
  }
  const promotions = new Family('regime_retrain_promotions_total', 'counter', 'Champion moves in the live lineage by the promotion gate, by task and verdict (promote, refresh).');
  for (const p of t.promotions) promotions.sample({ task: p.task, verdict: p.verdict }, p.n);
  const drift = new Family('regime_retrain_drift_flags_total', 'counter', 'Features flagged as drifted (PSI above their calibrated threshold), summed over runs, by task.');
  for (const d of t.driftFlags) drift.sample({ task: d.task }, d.n);
  const failures = new Family('regime_retrain_failures_total', 'counter', 'Failed retrain runs by error type (e.g. InvalidMarketDataError).');
  for (const f of t.failures) failures.sample({ type: f.type }, f.n);
  const last = new Family('regime_retrain_last_run_finished_timestamp_seconds', 'gauge', 'When the newest run with this status finished (alert when completed is older than 8 days).');
  for (const l of t.lastFinished) last.sample({ status: l.status }, Number(l.at));
  return `${[runs, running, runDur, stepDur, rows, metric, lead, info, promotions, drift, failures, last].join('\n')}\n`;
}
