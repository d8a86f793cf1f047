import type { RetrainResult } from '../../workflows/types';

/** A short, human-readable summary of a finished run. */
export function formatRunSummary(r: RetrainResult): string {
  const lines = [`run ${r.runId} as of ${r.asOf}: ${r.status}${r.championChanged ? ' (champion changed)' : ''}`];
  lines.push(`  ingest: ${r.ingest.rowsWritten} rows from ${r.ingest.feed}, last bar ${r.ingest.lastDate}`);
  lines.push(`  regimes: ${Object.entries(r.regimes.counts).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  for (const [task, o] of Object.entries(r.tasks)) {
    if (!o) continue;
    lines.push(`  ${task}: dataset ${o.dataset.datasetId} (${o.dataset.rows} rows, train sample ${o.dataset.trainSample})`);
    for (const e of o.evaluation.evaluations) {
      lines.push(`    ${e.role.padEnd(10)} ${e.kind.padEnd(18)} val ${fmt(e.validation.primary)} test ${fmt(e.test.primary)} crash ${fmt(e.test.crash)} recovery ${fmt(e.test.recovery)}`);
    }
    lines.push(`    decision: ${o.decision.promoted ? 'PROMOTED' : 'kept champion'} — ${o.decision.reason}`);
  }
  return lines.join('\n');
}

function fmt(v: number | null): string {
  return v === null ? '  n/a ' : v.toFixed(4);
}
