import { gatherRows, type Dataset } from '../datasets/dataset';
import { argmaxRows } from '../models/classifier';
import type { Predictor } from '../models/predictor';

/**
 * How the champion did while it was live: the rows dated after its training data ended whose
 * labels are known by now. Its mistakes there feed the (optional) error replay buffer.
 */
export function liveChampionResults(ds: Dataset, champion: Predictor, trainedThrough: string) {
  const rows: number[] = [];
  for (let i = 0; i < ds.rows; i++) if (ds.dates[ds.t[i]] > trainedThrough) rows.push(i);
  if (rows.length === 0) return { rows: 0, accuracy: null as number | null, mistakes: [] as { day: number; symbol: string }[] };
  const pred = argmaxRows(champion.predictProba({ data: gatherRows(ds.X, ds.cols, rows), rows: rows.length, cols: ds.cols }), ds.classNames.length);
  let correct = 0;
  const mistakes: { day: number; symbol: string }[] = [];
  rows.forEach((i, k) => {
    if (pred[k] === ds.y[i]) correct++;
    else mistakes.push({ day: Number(ds.dates[ds.t[i]].replaceAll('-', '')), symbol: ds.symbols[ds.symbol[i]] });
  });
  return { rows: rows.length, accuracy: correct / rows.length, mistakes };
}
