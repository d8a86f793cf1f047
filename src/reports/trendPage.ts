import { REPORT_CSS } from './runReport';
import { championAgeCell, type TrendPoint } from './runTrend';
import { esc } from './svg';

const COLORS = ['#2563eb', '#16a34a', '#9333ea', '#ea580c'];

interface Series {
  name: string;
  values: (number | null)[];
  dashed?: boolean;
}

/**
 * Values per run, runs on the x axis (labelled by as-of date): a dot per value (a single run
 * still shows), lines between, and a green ring on runs that promoted. Missing values are gaps.
 */
function runChart(points: TrendPoint[], series: Series[], title: string, format: (v: number) => string): string {
  const w = 760;
  const h = 260;
  const pad = { l: 60, r: 170, t: 28, b: 56 };
  const all = series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  if (all.length === 0) return `<figure><figcaption>${esc(title)}</figcaption><p class="muted">no data</p></figure>`;
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5 * (Math.abs(lo) || 1) * 0.1, hi + 0.5 * (Math.abs(hi) || 1) * 0.1];
  const n = points.length;
  const x = (i: number) => pad.l + (n === 1 ? 0.5 : i / (n - 1)) * (w - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (v - lo) / (hi - lo)) * (h - pad.t - pad.b);
  const parts: string[] = [];
  for (const v of [lo, (lo + hi) / 2, hi]) parts.push(`<line x1="${pad.l}" x2="${w - pad.r}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/><text x="${pad.l - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${esc(format(v))}</text>`);
  points.forEach((p, i) => {
    parts.push(`<text x="${x(i).toFixed(1)}" y="${h - pad.b + 14}" text-anchor="end" transform="rotate(-35 ${x(i).toFixed(1)} ${h - pad.b + 14})">${esc(p.asOf)}</text>`);
    if (p.promoted) parts.push(`<line class="promotion" x1="${x(i).toFixed(1)}" x2="${x(i).toFixed(1)}" y1="${pad.t}" y2="${h - pad.b}" stroke="#16a34a" stroke-dasharray="2,3"><title>${esc(p.asOf)}: ${esc(p.verdict)} (${esc(p.champion?.kind ?? '')})</title></line>`);
  });
  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length];
    let d = '';
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      d += `${d && s.values[i - 1] !== null ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${color}"><title>${esc(points[i]!.asOf)} ${esc(s.name)}: ${esc(format(v))}</title></circle>`);
    });
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5,3"' : ''}/>`);
    parts.push(`<text x="${w - pad.r + 10}" y="${pad.t + 16 * k + 4}" fill="${color}">${esc(s.name)}</text>`);
  });
  return `<figure><figcaption>${esc(title)}</figcaption><svg class="chart" role="img" aria-label="${esc(title)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-size="11">${parts.join('')}</svg></figure>`;
}

const f3 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(3));

/** A self-contained page (inline CSS and SVG, no scripts): a task's champion, promotions, drift and durations across runs. */
export function renderTrendPage(task: string, lineage: string, points: TrendPoint[]): string {
  const metric = (name: 'accuracy' | 'balanced_accuracy' | 'macro_f1') => points.map((p) => p.metrics?.[name] ?? null);
  const charts = [
    runChart(points, [{ name: 'macro_f1', values: metric('macro_f1') }, { name: 'balanced_accuracy', values: metric('balanced_accuracy') }, { name: 'accuracy', values: metric('accuracy') }], "Champion's walk-forward metrics", (v) => v.toFixed(3)),
    runChart(
      points,
      [
        { name: 'lead', values: points.map((p) => p.lead?.diff ?? null) },
        { name: 'CI low', values: points.map((p) => p.lead?.lo ?? null), dashed: true },
        { name: 'CI high', values: points.map((p) => p.lead?.hi ?? null), dashed: true },
      ],
      "Champion's decision value: annualised net return over the declared reference (bootstrap CI)",
      (v) => v.toFixed(3),
    ),
    runChart(points, [{ name: 'flagged features', values: points.map((p) => (p.drift.features ? p.drift.flagged : null)) }], 'Drift: features flagged', (v) => v.toFixed(0)),
    runChart(points, [{ name: 'minutes', values: points.map((p) => (p.durationSeconds === null ? null : p.durationSeconds / 60)) }], 'Run duration (minutes)', (v) => v.toFixed(1)),
  ];
  const promotions = points.filter((p) => p.promoted).length;
  const rows = points
    .map(
      (p) => `<tr class="run${p.promoted ? ' promoted' : ''}"><td>${esc(p.asOf)}</td><td>${esc(p.runId)}</td><td class="${p.status === 'completed' ? 'ok' : 'bad'}">${esc(p.status)}${p.errorType ? ` (${esc(p.errorType)})` : ''}</td><td>${p.durationSeconds === null ? '—' : esc(p.durationSeconds.toFixed(0))}</td>
<td>${esc(p.verdict ?? '—')}</td><td>${esc(p.champion?.kind ?? '—')}</td><td>${f3(p.metrics?.macro_f1)}</td><td>${f3(p.metrics?.balanced_accuracy)}</td><td>${f3(p.metrics?.accuracy)}</td>
<td>${p.lead ? `${f3(p.lead.diff)} [${f3(p.lead.lo)}, ${f3(p.lead.hi)}] vs ${esc(p.lead.vs)}` : '—'}</td><td>${p.drift.flagged}/${p.drift.features}</td><td${p.championAge?.stale ? ' class="bad"' : ''}>${esc(championAgeCell(p.championAge))}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Trend — ${esc(task)} (${esc(lineage)})</title><style>${REPORT_CSS}</style></head><body>
<h1>Trend of task ${esc(task)}, lineage ${esc(lineage)}</h1>
<p>${points.length} runs, ${promotions} promotions (green dashed lines), from ${esc(points[0]?.asOf ?? '—')} to ${esc(points.at(-1)?.asOf ?? '—')}.</p>
<div class="grid">${charts.join('')}</div>
<h2>Runs</h2><table><tr><th>as of</th><th>run</th><th>status</th><th>seconds</th><th>verdict</th><th>champion</th><th>macro F1</th><th>balanced acc.</th><th>accuracy</th><th>net return over the reference, annualised [CI]</th><th>drift flagged</th><th>champion age (days from its data's end to the as-of)</th></tr>
${rows}</table>
<p class="muted">Champion: the configuration that is champion once the run has decided. Its metrics are pooled over that run's out-of-sample walk-forward windows.</p>
</body></html>`;
}
