import { REGIMES } from '../regimes/regimes';
import type { Dataset } from './dataset';

/** What the run row, the report and the CLI show about a dataset. */
export function datasetSummary(ds: Dataset) {
  const classCounts: Record<string, number> = Object.fromEntries(ds.classNames.map((c) => [c, 0]));
  const regimeCounts: Record<string, number> = Object.fromEntries(REGIMES.map((r) => [r, 0]));
  for (let i = 0; i < ds.rows; i++) {
    classCounts[ds.classNames[ds.y[i]]]++;
    regimeCounts[REGIMES[ds.regime[i]]]++;
  }
  return {
    rows: ds.rows,
    cols: ds.cols,
    symbols: ds.symbols,
    classCounts,
    regimeCounts,
    firstDay: ds.dates[ds.t[0]],
    lastLabelledDay: ds.dates[ds.t[ds.rows - 1]],
    replayRows: ds.replayRows,
    market: ds.marketNotes,
  };
}
