/**
 * npm run bench:dataset — time to build both datasets from the real 30-year CSVs in
 * ../shared/data/market (or MARKET_DATA_DIR): read + validate, panel, regime labels, features,
 * labels, splits and the balanced sample. Prints a table; the target is seconds.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CsvFolderSource } from '../src/data/sources/csvFolder';
import { datasetsFromSource } from '../src/datasets/datasetFromSource';
import { regimeCounts } from '../src/regimes/regimeLabeler';

async function main(): Promise<void> {
  const dir = resolve(process.env.MARKET_DATA_DIR ?? '../shared/data/market');
  if (!existsSync(dir)) {
    console.log(`no market data at ${dir}; set MARKET_DATA_DIR`);
    return;
  }
  const asOf = process.argv[2] ?? '2026-12-31';
  const t0 = performance.now();
  const b = await datasetsFromSource(new CsvFolderSource(dir, 'csv'), { asOf, tasks: ['strategy', 'signal'] });
  const total = (performance.now() - t0) / 1000;
  const bars = [...b.market.bars.values()].reduce((a, l) => a + l.length, 0);
  console.log(`market data: ${dir}, as of ${asOf}: ${b.market.bars.size} series, ${bars} bars, ${b.panel.dates.length} days (${b.panel.dates[0]} .. ${b.panel.dates.at(-1)})`);
  console.log(`warnings (repairable): ${JSON.stringify(b.market.warnings)}`);
  console.log(`regimes: ${JSON.stringify(regimeCounts(b.regimes.regime))}`);
  const rows: [string, number][] = [
    ['read + validate CSVs', b.timings.readMs],
    ['panel', b.timings.panelMs],
    ['regime labels', b.timings.regimesMs],
    ['strategy dataset', b.timings.datasetMs.strategy ?? 0],
    ['signal dataset', b.timings.datasetMs.signal ?? 0],
  ];
  for (const [name, ms] of rows) console.log(`${name.padEnd(22)} ${(ms / 1000).toFixed(2).padStart(7)} s`);
  console.log(`${'total'.padEnd(22)} ${total.toFixed(2).padStart(7)} s`);
  for (const task of ['strategy', 'signal'] as const) {
    const d = b.datasets[task]!;
    console.log(`${task}: ${d.rows} rows x ${d.cols} features, ${d.dates[d.t[0]]}..${d.dates[d.t[d.rows - 1]]}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
