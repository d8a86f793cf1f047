/**
 * npm run bench:binning — the evidence behind the tree models' `binning` defaults: test
 * accuracy with bin edges by rows vs by sample weight, for each tree model on the real signal
 * set (regime weights) and the synthetic set, over small perturbations of each model's
 * settings (one accuracy on noisy data moves by about a point under any of them, so means are
 * compared). Prints a table; not a test. Options: --only kind,kind
 */
import { createModel } from '../src/models/modelKinds';
import type { BinningMode } from '../src/models/tree/binning';
import { realSignalProblem, syntheticProblem, type Problem } from './problems';

const args = process.argv.slice(2);
const FOREST = { nTrees: 100, maxDepth: 12, minSamplesLeaf: 3 };
const BOOST = { nRounds: 100, earlyStoppingRounds: 0 };
/** Each model's benchmark settings (as bench:models) and perturbations of them. */
const VARIANTS: Record<string, Record<string, unknown>[]> = {
  random_forest: [FOREST, { ...FOREST, maxBins: 128 }, { ...FOREST, maxDepth: 10 }, { ...FOREST, seed: 2 }],
  extra_trees: [FOREST, { ...FOREST, maxBins: 128 }, { ...FOREST, maxDepth: 10 }, { ...FOREST, seed: 2 }],
  xgboost: [BOOST, { ...BOOST, maxBins: 128 }, { ...BOOST, maxBins: 200 }, { ...BOOST, learningRate: 0.09 }, { ...BOOST, nRounds: 90 }, { ...BOOST, nRounds: 110 }],
  lightgbm: [BOOST, { ...BOOST, maxBins: 128 }, { ...BOOST, maxBins: 200 }, { ...BOOST, learningRate: 0.09 }, { ...BOOST, nRounds: 90 }, { ...BOOST, nRounds: 110 }, { ...BOOST, minDataInLeaf: 19 }, { ...BOOST, minDataInLeaf: 25 }],
  gradient_boosting: [{ nRounds: 100 }, { nRounds: 100, maxBins: 128 }, { nRounds: 90 }, { nRounds: 110 }],
};
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : Object.keys(VARIANTS);

async function accuracy(p: Problem, kind: string, params: Record<string, unknown>, binning: BinningMode): Promise<number> {
  const m = createModel(kind, { ...params, binning });
  await m.fit(p.train.X, p.train.y, p.train.w, { nClasses: p.K, seed: (params.seed as number | undefined) ?? 1 });
  const pred = m.predict(p.test.X);
  return pred.reduce((a, v, i) => a + (v === p.test.y[i] ? 1 : 0), 0) / pred.length;
}

async function run(p: Problem): Promise<void> {
  console.log(`\n## ${p.name}`);
  const rows = [['model', 'variants', 'mean acc rows', 'mean acc weighted', 'rows - weighted (pts)', 'default']];
  for (const kind of only) {
    const mean = async (mode: BinningMode) => {
      let s = 0;
      for (const v of VARIANTS[kind]) s += await accuracy(p, kind, v, mode);
      return s / VARIANTS[kind].length;
    };
    const [byRows, byWeight] = [await mean('rows'), await mean('weighted')];
    const def = String((createModel(kind).toJSON().params as { binning?: string }).binning);
    rows.push([kind, String(VARIANTS[kind].length), byRows.toFixed(4), byWeight.toFixed(4), ((byRows - byWeight) * 100).toFixed(1), def]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((v, c) => v.padEnd(widths[c])).join('  '));
}

async function main(): Promise<void> {
  const real = await realSignalProblem();
  if (real) await run(real);
  await run(syntheticProblem());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
