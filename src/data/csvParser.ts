import { InvalidMarketDataError } from '../errors';
import type { Bar } from './bars';

export interface ParsedCsv {
  bars: Bar[];
  /** 1-based file line of each bar, for error messages downstream. */
  lines: number[];
}

const REQUIRED = ['date', 'high', 'low', 'close'] as const;

function splitLine(line: string): string[] {
  return line.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

/**
 * Parses `date,open,high,low,close,adj_close,volume` (column order free, open/adj_close/volume
 * optional). Blank optional fields become null; a present but non-numeric field is an error
 * naming the row and field. Structural validation lives in validation.ts.
 */
export function parseBarsCsv(text: string, file: string): ParsedCsv {
  // An empty file has no header to check: it is "no rows", which the caller judges (an error
  // for a required series, a warning otherwise).
  if (text.trim() === '') return { bars: [], lines: [] };
  const rawLines = text.split(/\r?\n/);
  const header = splitLine(rawLines[0] ?? '').map((h) => h.toLowerCase().replace(/\s+/g, '_'));
  const col = (name: string) => header.indexOf(name);
  for (const r of REQUIRED) {
    if (col(r) < 0) throw new InvalidMarketDataError({ file, row: 1, field: r }, `missing required column "${r}" in header`);
  }
  const idx = { date: col('date'), open: col('open'), high: col('high'), low: col('low'), close: col('close'), adj: col('adj_close'), volume: col('volume') };
  const bars: Bar[] = [];
  const lines: number[] = [];
  for (let li = 1; li < rawLines.length; li++) {
    const raw = rawLines[li];
    if (raw.trim() === '') continue;
    const row = li + 1;
    const f = splitLine(raw);
    const num = (i: number, field: string, required: boolean): number | null => {
      const s = i >= 0 ? (f[i] ?? '') : '';
      if (s === '' || s.toLowerCase() === 'null') {
        if (required) throw new InvalidMarketDataError({ file, row, field }, `blank required field ${field}`);
        return null;
      }
      const v = Number(s);
      if (!Number.isFinite(v)) throw new InvalidMarketDataError({ file, row, field }, `"${s}" is not a number`);
      return v;
    };
    bars.push({
      date: f[idx.date] ?? '',
      open: num(idx.open, 'open', false),
      high: num(idx.high, 'high', true)!,
      low: num(idx.low, 'low', true)!,
      close: num(idx.close, 'close', true)!,
      adjClose: num(idx.adj, 'adj_close', false),
      volume: num(idx.volume, 'volume', false),
    });
    lines.push(row);
  }
  return { bars, lines };
}
