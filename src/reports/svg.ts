/** Minimal, dependency-free SVG charts for the self-contained HTML report. */

export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** White -> green scale for a value in [0, 1]; grey for "no samples". */
/** Cell colour: green shades for a [0, 1] metric, or red below and green above 0 for a signed value scaled by `span`. */
function heat(v: number | null, span?: number): string {
  if (v === null || !Number.isFinite(v)) return '#e5e7eb';
  if (span !== undefined) {
    const u = Math.max(-1, Math.min(1, v / (span || 1)));
    return u >= 0 ? `rgb(${Math.round(255 - 200 * u)},${Math.round(255 - 80 * u)},${Math.round(255 - 200 * u)})` : `rgb(255,${Math.round(255 + 180 * u)},${Math.round(255 + 180 * u)})`;
  }
  const t = Math.max(0, Math.min(1, v));
  const r = Math.round(255 - 200 * t);
  const g = Math.round(255 - 80 * t);
  const b = Math.round(255 - 200 * t);
  return `rgb(${r},${g},${b})`;
}

/** Rows x columns grid of values in [0, 1] with labels; null cells read "no samples". */
export function heatmap(rows: string[], cols: string[], value: (r: number, c: number) => number | null, title: string, opts: { signed?: boolean } = {}): string {
  const cw = 92;
  const ch = 26;
  const left = 150;
  const top = 40;
  const w = left + cols.length * cw + 10;
  const h = top + rows.length * ch + 10;
  const cells: string[] = [];
  let span: number | undefined;
  if (opts.signed) {
    span = 0;
    rows.forEach((_, r) => cols.forEach((__, c) => (span = Math.max(span!, Math.abs(value(r, c) ?? 0)))));
  }
  rows.forEach((rn, r) => {
    cells.push(`<text x="${left - 8}" y="${top + r * ch + 17}" text-anchor="end">${esc(rn)}</text>`);
    cols.forEach((_, c) => {
      const v = value(r, c);
      cells.push(`<rect x="${left + c * cw}" y="${top + r * ch}" width="${cw - 2}" height="${ch - 2}" fill="${heat(v, span)}"><title>${esc(rn)} / ${esc(cols[c])}: ${v === null ? 'no samples' : v.toFixed(4)}</title></rect>`);
      cells.push(`<text x="${left + c * cw + cw / 2 - 1}" y="${top + r * ch + 17}" text-anchor="middle">${v === null ? 'no samples' : v.toFixed(3)}</text>`);
    });
  });
  const heads = cols.map((cn, c) => `<text x="${left + c * cw + cw / 2}" y="${top - 10}" text-anchor="middle">${esc(cn)}</text>`);
  return `<svg class="chart" role="img" aria-label="${esc(title)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-size="12">${heads.join('')}${cells.join('')}</svg>`;
}

/** Confusion matrix (true rows x predicted columns) shaded by row share. */
export function confusion(matrix: number[][], labels: string[], title: string): string {
  const n = labels.length;
  const size = Math.max(22, Math.min(40, Math.floor(360 / Math.max(1, n))));
  const left = 130;
  const top = 110;
  const w = left + n * size + 10;
  const h = top + n * size + 10;
  const parts: string[] = [`<text x="${left}" y="14" font-weight="bold">${esc(title)}</text>`, `<text x="${left}" y="30" fill="#555">rows: true class, columns: predicted</text>`];
  labels.forEach((l, i) => {
    parts.push(`<text x="${left - 6}" y="${top + i * size + size / 2 + 4}" text-anchor="end">${esc(l)}</text>`);
    parts.push(`<text transform="translate(${left + i * size + size / 2 + 4},${top - 6}) rotate(-60)">${esc(l)}</text>`);
  });
  matrix.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((v, j) => {
      const share = total > 0 ? v / total : 0;
      parts.push(`<rect x="${left + j * size}" y="${top + i * size}" width="${size - 1}" height="${size - 1}" fill="${i === j ? heat(share) : `rgba(220,38,38,${(share * 0.8).toFixed(3)})`}" stroke="#ddd"><title>true ${esc(labels[i])}, predicted ${esc(labels[j])}: ${v}</title></rect>`);
      if (v > 0) parts.push(`<text x="${left + j * size + size / 2}" y="${top + i * size + size / 2 + 4}" text-anchor="middle" font-size="10">${v}</text>`);
    });
  });
  return `<svg class="chart" role="img" aria-label="${esc(title)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-size="11">${parts.join('')}</svg>`;
}

const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d', '#7c3aed', '#0f766e'];

/** Line chart of several series (e.g. equity curves) sharing an x axis of step indices. */
export function lines(series: { name: string; values: number[]; dashed?: boolean }[], title: string): string {
  const w = 720;
  const h = 300;
  const pad = { l: 50, r: 170, t: 24, b: 24 };
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  if (all.length === 0) return `<p>${esc(title)}: no data</p>`;
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const span = hi - lo || 1;
  const maxLen = Math.max(...series.map((s) => s.values.length));
  const x = (i: number) => pad.l + (i / Math.max(1, maxLen - 1)) * (w - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (v - lo) / span) * (h - pad.t - pad.b);
  const paths = series.map((s, k) => {
    const d = s.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
    const color = PALETTE[k % PALETTE.length];
    return `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5,3"' : ''}><title>${esc(s.name)}</title></path><text x="${w - pad.r + 8}" y="${pad.t + 14 * k + 4}" fill="${color}">${esc(s.name)}</text>`;
  });
  const ticks = [lo, (lo + hi) / 2, hi].map((v) => `<text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(3)}</text><line x1="${pad.l}" x2="${w - pad.r}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`);
  return `<svg class="chart" role="img" aria-label="${esc(title)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-size="11">${ticks.join('')}${paths.join('')}</svg>`;
}

/** Grouped horizontal bars: for each label, one bar per series (e.g. target vs achieved). */
export function bars(labels: string[], series: { name: string; values: number[] }[], title: string, format: (v: number) => string = (v) => v.toFixed(3)): string {
  const bh = 12;
  const group = bh * series.length + 8;
  const left = 150;
  const w = 620;
  const h = 30 + labels.length * group;
  const max = Math.max(1e-12, ...series.flatMap((s) => s.values).filter(Number.isFinite));
  const parts: string[] = [];
  series.forEach((s, k) => parts.push(`<rect x="${left + k * 110}" y="4" width="10" height="10" fill="${PALETTE[k]}"/><text x="${left + k * 110 + 14}" y="13">${esc(s.name)}</text>`));
  labels.forEach((l, i) => {
    const y0 = 24 + i * group;
    parts.push(`<text x="${left - 6}" y="${y0 + group / 2}" text-anchor="end">${esc(l)}</text>`);
    series.forEach((s, k) => {
      const v = s.values[i] ?? 0;
      const bw = ((w - left - 80) * Math.max(0, v)) / max;
      parts.push(`<rect x="${left}" y="${y0 + k * bh}" width="${bw.toFixed(1)}" height="${bh - 2}" fill="${PALETTE[k]}"><title>${esc(l)} ${esc(s.name)}: ${format(v)}</title></rect><text x="${left + bw + 4}" y="${y0 + k * bh + 9}" font-size="10">${format(v)}</text>`);
    });
  });
  return `<svg class="chart" role="img" aria-label="${esc(title)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-size="11">${parts.join('')}</svg>`;
}
