import type { UniverseSummary } from '../data/universe';
import type { ReportData } from './reportData';
import { esc } from './svg';

/** The universe the run ingested, as the ingest step recorded it (absent when the run stopped before). */
export function universeOf(d: Pick<ReportData, 'steps'>): UniverseSummary | null {
  const summary = d.steps.find((s) => s.step === 'ingest' && s.status === 'completed')?.summary as { universe?: UniverseSummary } | null | undefined;
  return summary?.universe ?? null;
}

/**
 * "Universe": how many signal symbols the run learned on and each one's first and last stored
 * date (symbols list and delist on different dates), then the market inputs, the symbols asked
 * for without any bar and the files a listing skipped. Names come from people and file names:
 * every value is escaped.
 */
export function renderUniverse(u: UniverseSummary | null): string {
  if (!u) return '<h2>Universe</h2><p class="muted">Not recorded (the run stopped before ingest finished).</p>';
  const table = (rows: UniverseSummary['signal']) =>
    `<table><tr><th>symbol</th><th>rows</th><th>first</th><th>last</th></tr>${rows
      .map((r) => `<tr><td>${esc(r.symbol)}</td><td>${r.rows}</td><td>${esc(r.first ?? '—')}</td><td>${esc(r.last ?? '—')}</td></tr>`)
      .join('')}</table>`;
  const selection = u.selection === 'all' ? 'every symbol in the source (<code>--symbols all</code>)' : 'the symbols named for the run';
  const absent = u.absent.length ? `<p class="bad">Asked for, but no bar up to as-of: ${u.absent.map(esc).join(', ')}.</p>` : '';
  const skipped = u.skipped.length ? `<p class="inc">Files skipped: ${u.skipped.map((s) => `${esc(s.name)} (${esc(s.reason)})`).join('; ')}.</p>` : '';
  return `<h2 id="universe">Universe</h2>
<p>Signal task: <b id="universe-size">${u.size}</b> symbol${u.size === 1 ? '' : 's'} with data (${selection}).</p>${table(u.signal)}${absent}${skipped}
<details><summary>Market inputs (${u.marketInputs.filter((m) => m.rows > 0).length} with data): the fixed inputs of the market features</summary>${table(u.marketInputs)}</details>`;
}
