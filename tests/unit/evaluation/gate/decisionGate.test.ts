import { beforeAll, describe, expect, it } from 'vitest';
import { createSource } from '../../../../src/data/sources';
import { type Dataset, rowsBetween } from '../../../../src/datasets/dataset';
import { datasetsFromSource } from '../../../../src/datasets/datasetFromSource';
import { uniformityTest, DEFAULT_GATE } from '../../../../src/evaluation/gate';
import { assessProtocol, type CandidateOos, decisionEvidence, protocolDecision, strategySeries, protocolFolds, fromProba } from '../../../../src/evaluation/protocol';
import { DEFAULT_STRATEGIES } from '../../../../src/labels/strategies';
import { datasetConfig } from '../../../../src/datasets/config';
import { Rng } from '../../../../src/util/rng';

// The allocations plus a 60/40 class, none pruned, so a passive 60/40 policy exists.
const config = datasetConfig({ strategy: { strategies: [...DEFAULT_STRATEGIES, { name: 'sixty_forty', spy: 0.6, tlt: 0.4, cash: 0 }], prune: 'none', horizon: 1 } });

/** A predictor choosing class `choice(row)` on every out-of-sample row of every fold. */
function fixedCandidate(ds: Dataset, key: string, choice: (row: number) => number): CandidateOos {
  const plan = protocolFolds(ds, config);
  const K = ds.classNames.length;
  const window = (from: number, to: number) => {
    const rows = rowsBetween(ds, from, to);
    const proba = new Float64Array(rows.length * K);
    rows.forEach((r, i) => (proba[i * K + choice(r)] = 1));
    return { rows, proba };
  };
  return { key, kind: key, hash: `c-${key}`, cv: plan.cv.map((f) => window(f.test!.from, f.test!.to)), final: window(plan.final.test!.from, plan.final.test!.to) };
}

/** The assessment with the default gate and 5 bps costs, no registry and no champion. */
const assess = (ds: Dataset, candidates: CandidateOos[]) =>
  assessProtocol(ds, protocolFolds(ds, config), candidates, { gate: DEFAULT_GATE, dataset: config, backtest: { costBps: 5, execution: 'next_close' }, meta: null, championKey: null, championIncomparable: false, trials: [] });

describe('the gate decides on decision value', () => {
  let ds: Dataset;
  beforeAll(async () => {
    ds = (await datasetsFromSource(createSource({ kind: 'synthetic', seed: 8 }), { asOf: '2016-06-30', tasks: ['strategy'], config })).datasets.strategy!;
  }, 120_000);

  it('the decision alone (the study replay) is the full assessment\'s decision, champion legs and all', async () => {
    const kAggressive = ds.classNames.indexOf('aggressive_growth');
    const k6040 = ds.classNames.indexOf('sixty_forty');
    const candidates = [fixedCandidate(ds, 'timer', (r) => (ds.regime[r] === 0 ? k6040 : kAggressive)), fixedCandidate(ds, 'passive_aggressive', () => kAggressive)];
    const plan = protocolFolds(ds, config);
    let compared = 0;
    for (const championKey of ['timer', 'passive_aggressive']) {
      const o = { gate: DEFAULT_GATE, dataset: config, backtest: { costBps: 5, execution: 'next_close' as const }, meta: null, championKey, championIncomparable: false, trials: [] };
      const full = await assessProtocol(ds, plan, candidates, o);
      const alone = await protocolDecision(ds, plan, candidates, o);
      expect(alone.decision).toEqual(full.decision);
      expect(alone.sel >= 0 ? alone.predictors[alone.sel].key : null).toBe(full.selected);
      expect(alone.evidence.selected?.legs).toEqual(full.stats.legs);
      expect(alone.ev.vsChampion).toEqual(full.stats.vsChampion);
      if (full.stats.vsChampion) compared++;
    }
    expect(compared).toBe(1); // the champion that was not selected is weighed against the selected one
    const o = { gate: DEFAULT_GATE, dataset: config, backtest: { costBps: 5, execution: 'next_close' as const }, meta: null, championKey: null, championIncomparable: false, trials: [] };
    const [full, alone] = [await assessProtocol(ds, plan, candidates, o), await protocolDecision(ds, plan, candidates, o)];
    // Only the reported per-regime estimates are skipped.
    expect(Object.values(alone.ev.values[0].byRegime).every((r) => Object.values(r).every((x) => x === null))).toBe(true);
    expect(Object.values(full.document.candidates[0].value.byRegime).some((r) => Object.values(r).some((x) => x !== null))).toBe(true);
  }, 120_000);

  it('a passive 60/40 policy is not promoted against a 60/40 benchmark, and holding more equity is not timing skill', async () => {
    const k6040 = ds.classNames.indexOf('sixty_forty');
    const kAggressive = ds.classNames.indexOf('aggressive_growth');
    const a = await assess(ds, [fixedCandidate(ds, 'passive_6040', () => k6040), fixedCandidate(ds, 'passive_aggressive', () => kAggressive)]);
    expect(a.decision.promoted).toBe(false);
    const legs = (key: string) => a.document.candidates.find((c) => c.key === key)!.value.comparisons;
    // The 60/40 policy is the benchmark: its advantage is exactly zero, never significant.
    const passive = legs('passive_6040');
    expect(passive.find((l) => l.name === 'benchmark')!.diff).toBeCloseTo(0, 12);
    expect(passive.find((l) => l.name === 'benchmark')!.pValue).toBe(1);
    // Always 90/10 is its own static twin: whatever it earns over 60/40, its timing leg is zero.
    const aggressive = legs('passive_aggressive');
    expect(aggressive.find((l) => l.name === 'twin')!.diff).toBeCloseTo(0, 12);
    expect(aggressive.find((l) => l.name === 'twin')!.pValue).toBe(1);
    expect(a.decision.reason).toMatch(/beats_static_twin .* p = 1\.000/);
    expect(a.stats.bestBaseline).toBe('sixty_forty');
  }, 120_000);

  it('a policy that times the market beats both its benchmark and its twin', async () => {
    // An oracle-ish timer that knows tomorrow's label half of the time: real timing skill.
    const rng = new Rng(3);
    const kDefensive = ds.classNames.indexOf('ultra_defensive');
    const a = await assess(ds, [fixedCandidate(ds, 'timer', (r) => (rng.next() < 0.5 ? ds.y[r] : kDefensive))]);
    expect(a.decision.promoted).toBe(true);
    expect(a.decision.reason).toMatch(/timer beats sixty_forty and its static twin/);
  }, 120_000);

  it('when the null sits on the boundary (policy independent of the future), the timing leg\'s p-values are uniform', () => {
    const plan = protocolFolds(ds, config);
    const K = ds.classNames.length;
    const cvRows = Int32Array.from(plan.cv.flatMap((f) => Array.from(rowsBetween(ds, f.test!.from, f.test!.to))));
    const foldOf = Int32Array.from(plan.cv.flatMap((f) => Array.from(rowsBetween(ds, f.test!.from, f.test!.to), () => f.index)));
    const ps: number[] = [];
    for (let trial = 0; trial < 120; trial++) {
      const rng = new Rng(1000 + trial);
      // A persistent random policy (stays with its choice 90% of days), as real policies are.
      let k = rng.int(K);
      const proba = new Float64Array(cvRows.length * K);
      for (let r = 0; r < cvRows.length; r++) {
        if (rng.next() < 0.1) k = rng.int(K);
        proba[r * K + k] = 1;
      }
      // Without costs, so that the timing leg's null is exactly on the boundary (costs would push it below).
      const series = strategySeries(ds, plan.cv, [{ cv: fromProba(cvRows, proba, K), foldOf }], { costBps: 0, execution: 'next_close' }, 'sixty_forty');
      const ev = decisionEvidence(series, { pool: [0], champion: -1, resamples: 199, seed: trial, horizon: 2, trials: [], hashes: ['c'] });
      ps.push(ev.values[0].comparisons.find((c) => c.name === 'twin')!.pValue);
    }
    const share = ps.filter((p) => p <= 0.05).length / ps.length;
    expect(share).toBeGreaterThanOrEqual(0.01);
    expect(share).toBeLessThanOrEqual(0.11);
    expect(uniformityTest(ps).pValue).toBeGreaterThan(0.01);
  }, 600_000); // about 20 s alone; many bootstraps, so a loaded machine needs room
});
