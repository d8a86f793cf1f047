import type { RetrainResult } from '../../workflows/types';

/** A short, human-readable summary of a finished run: the verdict first, in words. */
export function formatRunSummary(r: RetrainResult): string {
  const lines = [`run ${r.runId} as of ${r.asOf} (lineage ${r.lineage}): ${r.status}${r.championChanged ? ' — champion changed' : ''}`];
  for (const [task, o] of Object.entries(r.tasks)) {
    if (!o) continue;
    lines.push(`  ${task}: ${o.decision.reason}`);
    const fits = o.assessment.fits;
    lines.push(`    walk-forward: ${o.assessment.folds} folds over ${o.dataset.firstDay}..${o.dataset.lastLabelledDay} (${o.dataset.rows} rows); fits ${fits.fitted} trained, ${fits.reused} reused, ${fits.repredicted} re-predicted`);
    lines.push(`    selected ${o.assessment.selected ?? '(none)'} vs ${o.assessment.bestBaseline}${o.assessment.task === 'strategy' ? ' and its static twin' : ''}: one-sided p = ${o.decision.pValue === null ? 'n/a' : o.decision.pValue.toFixed(3)} (worst leg, corrected for the number of candidates)`);
    for (const f of o.refits) lines.push(`    refit ${f.kind}: trained ${f.trainedFrom}..${f.trainedThrough} (${f.modelId})`);
    const drift = o.monitor.flaggedFeatures.length ? `DRIFT in ${o.monitor.flaggedFeatures.join(', ')}` : 'no drift';
    const acc = o.monitor.championRecentAccuracy === null ? '' : `; champion accuracy while live ${pct(o.monitor.championRecentAccuracy)}`;
    lines.push(`    monitoring: ${drift}${acc}`);
  }
  lines.push(`  ingest: ${r.ingest.rowsWritten} rows from ${r.ingest.feed}, last bar ${r.ingest.lastDate}; regimes: ${Object.entries(r.regimes.counts).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  lines.push(`  report: npm run cli -- runs report ${r.runId}`);
  return lines.join('\n');
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}
