import type { TaskRunRow } from '../store/trendStore';

/** One run of a task as the trend shows it: the champion after its decision, and what happened. */
export interface TrendPoint {
  runId: string;
  workflowId: string;
  asOf: string;
  trigger: string;
  status: string;
  errorType: string | null;
  durationSeconds: number | null;
  verdict: string | null;
  promoted: boolean;
  /** The configuration that is champion once the run has decided (null: none yet). */
  champion: { key: string; kind: string } | null;
  primaryMetric: string | null;
  /** The champion's walk-forward metrics in this run (pooled out-of-sample). */
  metrics: { accuracy: number | null; balanced_accuracy: number | null; macro_f1: number | null } | null;
  /** Its lead over the best baseline on the primary metric, with the bootstrap CI (when stored). */
  lead: { vs: string; diff: number; lo: number; hi: number; pValue: number } | null;
  drift: { flagged: number; features: number; maxPsi: number | null };
  /** The champion after the decision: days from its training data's end to the run's as-of, stale beyond gate.maxChampionAgeDays, and weeks unproven while kept. */
  championAge: { ageDays: number | null; stale: boolean; maxAgeDays: number; weeksUnproven: number | null } | null;
}

/**
 * The champion after a decision: a promotion deploys the selected configuration, or, for a
 * refresh after a refused challenger, the incumbent's (as the promotion gate does); otherwise
 * the incumbent stays.
 */
function championKeyAfter(r: TaskRunRow): string | null {
  const a = r.assessment;
  if (!a || !r.decision) return a?.championKey ?? null;
  if (!r.decision.promoted) return a.championKey;
  return r.decision.verdict === 'refresh' && a.championKey && a.championKey !== a.selected ? a.championKey : a.selected;
}

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function trendPoints(rows: TaskRunRow[]): TrendPoint[] {
  return rows.map((r) => {
    const key = championKeyAfter(r);
    const entry = key ? r.assessment?.candidates.find((c) => c.key === key) : undefined;
    const all = entry?.metrics.all;
    return {
      runId: r.runId,
      workflowId: r.workflowId,
      asOf: r.asOf,
      trigger: r.trigger,
      status: r.status,
      errorType: r.errorType,
      durationSeconds: r.finishedAt ? (r.finishedAt.getTime() - r.startedAt.getTime()) / 1000 : null,
      verdict: r.decision?.verdict ?? null,
      promoted: r.decision?.promoted ?? false,
      champion: key ? { key, kind: entry?.kind ?? key } : null,
      primaryMetric: r.assessment?.primaryMetric ?? null,
      metrics: all ? { accuracy: finite(all.accuracy), balanced_accuracy: finite(all.balanced_accuracy), macro_f1: finite(all.macro_f1) } : null,
      lead: entry?.ci ? { vs: entry.ci.vs, diff: entry.ci.diff, lo: entry.ci.ci[0], hi: entry.ci.ci[1], pValue: entry.ci.pValue } : null,
      drift: r.drift,
      championAge: r.decision?.championAfter?.modelId
        ? { ageDays: r.decision.championAfter.ageDays, stale: r.decision.championAfter.stale, maxAgeDays: r.decision.championAfter.maxAgeDays, weeksUnproven: r.decision.championAfter.weeksUnproven }
        : null,
    };
  });
}

/** "12d", "120d STALE (max 90)", "+ 5w unproven". */
export function championAgeCell(a: TrendPoint['championAge']): string {
  if (!a || a.ageDays === null) return '-';
  const age = `${a.ageDays}d${a.stale ? ` STALE (max ${a.maxAgeDays})` : ''}`;
  return a.weeksUnproven !== null ? `${age}, ${a.weeksUnproven}w unproven` : age;
}

const f3 = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(3));

/** The trend as a tab-separated table with a header line. */
export function trendTable(points: TrendPoint[]): string {
  const head = ['as_of', 'run', 'status', 'seconds', 'verdict', 'champion', 'metric', 'value', 'value_vs_reference', 'value_ci', 'drift_flagged', 'champion_age'];
  const lines = points.map((p) => {
    const metric = p.primaryMetric ?? 'macro_f1';
    const value = p.metrics ? p.metrics[metric as keyof NonNullable<TrendPoint['metrics']>] : null;
    return [
      p.asOf,
      p.runId,
      p.status + (p.errorType ? `(${p.errorType})` : ''),
      p.durationSeconds === null ? '-' : p.durationSeconds.toFixed(0),
      p.verdict ?? '-',
      p.champion?.kind ?? '-',
      metric,
      f3(value),
      p.lead ? `${f3(p.lead.diff)} vs ${p.lead.vs}` : '-',
      p.lead ? `[${f3(p.lead.lo)}, ${f3(p.lead.hi)}]` : '-',
      `${p.drift.flagged}/${p.drift.features}`,
      championAgeCell(p.championAge),
    ].join('\t');
  });
  return [head.join('\t'), ...lines].join('\n');
}
