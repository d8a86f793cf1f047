import type { RetrainResult } from '../../workflows/types';

/** A short, human-readable summary of a finished run. */
export function formatRunSummary(r: RetrainResult): string {
  const lines = [`run ${r.runId} as of ${r.asOf}: ${r.status}${r.championChanged ? ' (champion changed)' : ''}`];
  lines.push(`  ingest: ${r.ingest.rowsWritten} rows from ${r.ingest.feed}, last bar ${r.ingest.lastDate}`);
  lines.push(`  regimes: ${Object.entries(r.regimes.counts).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  for (const [task, o] of Object.entries(r.tasks)) {
    if (!o) continue;
    lines.push(`  ${task}: dataset ${o.dataset.datasetId} (${o.dataset.rows} rows, train sample ${o.dataset.trainSample})`);
    lines.push(`    ${o.evaluation.primaryMetric} per model (validation / test / crash / recovery${o.evaluation.benchmarks ? ' | backtest CAGR, max drawdown' : ''}):`);
    for (const e of o.evaluation.evaluations) {
      const bt = e.backtest ? ` | ${pct(e.backtest.cagr)} ${pct(e.backtest.maxDrawdown)}` : '';
      lines.push(`    ${e.role.padEnd(10)} ${e.kind.padEnd(18)} val ${fmt(e.validation.primary)} test ${fmt(e.test.primary)} crash ${fmt(e.test.crash)} recovery ${fmt(e.test.recovery)}${bt}`);
    }
    for (const [name, b] of Object.entries(o.evaluation.benchmarks ?? {})) lines.push(`    benchmark  ${name.padEnd(18)} CAGR ${pct(b.cagr)} max drawdown ${pct(b.maxDrawdown)} Sharpe ${b.sharpe.toFixed(2)}`);
    if (o.monitor) {
      const drift = o.monitor.flaggedFeatures.length ? `DRIFT in ${o.monitor.flaggedFeatures.join(', ')}` : 'no drift';
      const acc = o.monitor.championRecentAccuracy === null ? '' : `; champion accuracy on the newest days ${pct(o.monitor.championRecentAccuracy)}`;
      lines.push(`    monitoring: ${drift} (max PSI ${o.monitor.maxPsi === null ? 'n/a' : o.monitor.maxPsi.toFixed(3)})${acc}; replay buffer +${o.monitor.replayAdded}`);
    }
    lines.push(`    decision: ${o.decision.promoted ? 'PROMOTED' : 'kept champion'} — ${o.decision.reason}`);
  }
  lines.push(`  report: npm run cli -- runs report ${r.runId}`);
  return lines.join('\n');
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

function fmt(v: number | null): string {
  return v === null ? '  n/a ' : v.toFixed(4);
}
