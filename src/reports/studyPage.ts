import { writeFile } from 'node:fs/promises';
import { REGIMES } from '../regimes/regimes';
import type { StudyArm, StudyDocument } from '../study/runStudy';
import { esc, lines } from './svg';

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'n/a');
const ci = (c: [number, number], f: (x: number) => string) => `[${f(c[0])}, ${f(c[1])}]`;

/**
 * Horizontal bars with 95% CI whiskers around zero, one per regime (and "all"): an arm's paired
 * difference with its reference. Each bar carries its numbers as data attributes (the browser
 * test reads them) and in its tooltip.
 */
export function ciBars(arm: string, rows: { label: string; diff: number; ci95: [number, number]; n: number }[], format: (v: number) => string): string {
  const w = 680;
  const left = 130;
  const right = 170;
  const rh = 24;
  const h = 28 + rows.length * rh;
  const finite = rows.flatMap((r) => [r.diff, ...r.ci95]).filter(Number.isFinite);
  const span = Math.max(1e-12, ...finite.map(Math.abs));
  const x = (v: number) => left + ((v + span) / (2 * span)) * (w - left - right);
  const parts = [`<line x1="${x(0)}" x2="${x(0)}" y1="14" y2="${h - 4}" stroke="#555"/>`, `<text x="${x(0)}" y="11" text-anchor="middle">0</text>`];
  rows.forEach((r, i) => {
    const y = 22 + i * rh;
    const ok = Number.isFinite(r.diff) && r.n > 0;
    const colour = !ok ? '#9ca3af' : r.ci95[0] > 0 ? '#16a34a' : r.ci95[1] < 0 ? '#dc2626' : '#60a5fa';
    parts.push(`<text x="${left - 6}" y="${y + 12}" text-anchor="end">${esc(r.label)} (n ${r.n})</text>`);
    if (ok) {
      const a = Math.min(x(0), x(r.diff));
      parts.push(
        `<rect class="ci-bar" data-arm="${esc(arm)}" data-regime="${esc(r.label)}" data-diff="${r.diff}" data-lo="${r.ci95[0]}" data-hi="${r.ci95[1]}" data-n="${r.n}" x="${a.toFixed(1)}" y="${y + 2}" width="${Math.abs(x(r.diff) - x(0)).toFixed(1)}" height="${rh - 8}" fill="${colour}"><title>${esc(r.label)}: ${format(r.diff)} (95% CI ${format(r.ci95[0])}..${format(r.ci95[1])}, n ${r.n})</title></rect>`,
        `<line x1="${x(r.ci95[0]).toFixed(1)}" x2="${x(r.ci95[1]).toFixed(1)}" y1="${y + 8}" y2="${y + 8}" stroke="#111" stroke-width="1.5"/>`,
        `<text x="${w - right + 6}" y="${y + 12}">${esc(format(r.diff))} ${esc(ci(r.ci95, format))}</text>`,
      );
    } else parts.push(`<text x="${x(0) + 4}" y="${y + 12}" fill="#6b7280">no days</text>`);
  });
  return `<svg class="chart ci-chart" role="img" aria-label="${esc(arm)} per regime" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-size="11">${parts.join('')}</svg>`;
}

/** The equity curves of one group of arms on their shared days, thinned to at most ~400 points. */
function equityChart(arms: StudyArm[], title: string): string {
  const len = Math.max(...arms.map((a) => a.equity.length));
  const step = Math.max(1, Math.ceil(len / 400));
  const series = arms.map((a) => ({ name: a.name, values: a.equity.filter((_, i) => i % step === 0 || i === a.equity.length - 1).map((p) => p[1]) }));
  const first = arms[0].equity[0]?.[0] ?? '';
  const last = arms[0].equity[arms[0].equity.length - 1]?.[0] ?? '';
  return `<figure class="equity" data-arms="${esc(arms.map((a) => a.name).join(','))}"><figcaption>${esc(title)}: growth of 1, ${esc(first)} to ${esc(last)}</figcaption>${lines(series, title)}</figure>`;
}

/** The study as one self-contained page: verdicts, the arms' table, per-regime bars with CIs against each reference, equity curves. */
export function studyHtml(d: StudyDocument): string {
  const money = d.task === 'strategy' ? 'net return' : 'long-short return';
  const rows = d.arms
    .map((a) => {
      const v = a.vsReference;
      const legs = a.value.legs.map((l) => `${esc(l.name)} vs ${esc(l.reference)}: ${l.unit === 'return' ? pct(l.diff) : l.diff.toFixed(4)} ${ci(l.ci as [number, number], l.unit === 'return' ? pct : (x) => x.toFixed(4))} (n ${l.n})`).join('<br>');
      return `<tr data-arm="${esc(a.name)}"><td>${esc(a.name)}</td><td>${esc(a.kind)}</td><td>${a.metrics.all.n}</td><td>${legs}</td><td>${v ? `${esc(v.reference)}: ${pct(v.diff)} ${ci(v.ci95, pct)}, p ${v.pValue.toFixed(3)}, n ${v.n}` : '(the reference)'}</td><td>${a.fits.trained} / ${a.fits.reused}</td></tr>`;
    })
    .join('');
  const charts = d.arms
    .flatMap((a) =>
      a.vsReferences.map((c) => {
        const regimeRows = [{ label: 'all', diff: c.diff, ci95: c.ci95, n: c.n }, ...REGIMES.map((r) => ({ label: r, ...c.byRegime[r] }))];
        return `<section class="arm-bars"><h3>${esc(a.name)} minus ${esc(c.reference)}: ${esc(money)}, annualised</h3>${ciBars(`${a.name} vs ${c.reference}`, regimeRows, pct)}</section>`;
      }),
    )
    .join('');
  const groups = (['training', 'cadence', 'policy'] as const).map((k) => d.arms.filter((a) => a.kind === k)).filter((g) => g.length && g[0].equity.length);
  const curves = groups.map((g) => equityChart(g, `${g[0].kind} arms`)).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Study: ${esc(d.task)} as of ${esc(d.asOf)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:1100px}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px;vertical-align:top;font-size:12px}.chart{display:block;margin:8px 0}</style></head>
<body><h1>Does the regime-aware weekly policy pay? ${esc(d.task)}, as of ${esc(d.asOf)}${d.from ? `, from ${esc(d.from)}` : ''}</h1>
<p>Models: ${esc(d.models.join(', '))}. ${esc(d.method.comparisons)}.</p>
<h2>Verdicts</h2><ul id="verdicts">${d.verdicts.map((v) => `<li>${esc(v)}</li>`).join('')}</ul>
<h2>Arms</h2><table id="arms"><thead><tr><th>arm</th><th>kind</th><th>n</th><th>decision value (the gate's legs, 95% CI, n)</th><th>vs reference (${esc(money)}, annualised)</th><th>fits trained / reused</th></tr></thead><tbody>${rows}</tbody></table>
<h2>Per regime, with 95% CIs</h2>${charts}
<h2>Equity curves</h2>${curves}
</body></html>`;
}

export async function writeStudyPage(file: string, d: StudyDocument): Promise<void> {
  await writeFile(file, studyHtml(d));
}
