/**
 * npm run bench:drift — how often the calibrated drift monitor would have fired on the real
 * corpus: one weekly run every 4th week from 2005 to the data's end, each seeing only the days
 * up to it. Features as the two tasks see them: the 10 market features (one row a day) and the
 * 30 per-symbol signal features pooled over the sector ETFs (one row per symbol and day).
 * Prints each feature's flag rate; not a test. Options: --dir DIR (default ../shared/data/market),
 * --every-weeks N (default 4), --with-stocks (adds AAPL/MSFT/GOOGL, which end in 2020).
 */
import { resolve } from 'node:path';
import { SECTOR_SYMBOLS, STOCK_SYMBOLS } from '../src/data/bars';
import { readMarket } from '../src/data/readMarket';
import { CsvFolderSource } from '../src/data/sources/csvFolder';
import { computeMarketFeatures } from '../src/features/marketFeatures';
import { buildPanel } from '../src/features/panel';
import { computeSymbolFeatures } from '../src/features/signalFeatures';
import { DEFAULT_CALIBRATED_DRIFT } from '../src/monitoring/calibratedDrift';
import { replayDrift } from '../src/monitoring/driftReplay';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const dir = resolve(opt('--dir', process.env.MARKET_DATA_DIR ?? '../shared/data/market'));
const everyWeeks = Number(opt('--every-weeks', '4'));
const signalSymbols = [...SECTOR_SYMBOLS, ...(args.includes('--with-stocks') ? STOCK_SYMBOLS : [])];

const read = await readMarket(new CsvFolderSource(dir, 'csv'), { symbols: ['SPY', 'TLT', 'VIX', ...signalSymbols], until: '2100-01-01' });
const panel = buildPanel(read.bars);
const n = panel.dates.length;
const asOfs: number[] = [];
for (let t = panel.dates.findIndex((d) => d >= '2005-01-01'); t < n; t += 5 * everyWeeks) asOfs.push(t);

const started = performance.now();
const market = computeMarketFeatures(panel);
const marketReplay = replayDrift(market.names, market.values, Float64Array.from({ length: n }, (_, i) => i), asOfs);
const per = signalSymbols.map((s) => computeSymbolFeatures(panel, s));
const cols = per[0].names.length;
const S = per.length;
const pooled = new Float64Array(n * S * cols);
const day = new Float64Array(n * S);
for (let t = 0; t < n; t++)
  for (let s = 0; s < S; s++) {
    pooled.set(per[s].values.subarray(t * cols, (t + 1) * cols), (t * S + s) * cols);
    day[t * S + s] = t;
  }
const signalReplay = replayDrift(per[0].names, pooled, day, asOfs);
const seconds = (performance.now() - started) / 1000;

const rows = [
  ...Object.entries(marketReplay.flagRate).map(([f, r]) => ({ f: `market:${f}`, r, at: marketReplay.flaggedAt[f] })),
  ...Object.entries(signalReplay.flagRate).map(([f, r]) => ({ f: `signal:${f}`, r, at: signalReplay.flaggedAt[f] })),
].sort((a, b) => b.r - a.r);
console.log(`calibrated drift (${JSON.stringify(DEFAULT_CALIBRATED_DRIFT)}), ${asOfs.length} runs ${panel.dates[asOfs[0]]}..${panel.dates[asOfs.at(-1)!]}, signal pooled over ${signalSymbols.join(' ')}; ${(seconds / asOfs.length).toFixed(2)} s a run`);
console.log('| feature | flagged runs | first flagged as-of dates |\n|---|---|---|');
for (const x of rows) console.log(`| ${x.f} | ${(x.r * 100).toFixed(1)}% | ${x.at.slice(0, 4).map((t) => panel.dates[t]).join(' ')} |`);
console.log(`mean over ${rows.length} features: ${((rows.reduce((a, x) => a + x.r, 0) / rows.length) * 100).toFixed(2)}%`);
