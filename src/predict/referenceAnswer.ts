import type { Dataset } from '../datasets/dataset';
import { InsufficientDataError } from '../errors';
import { classFrequencies, majorityOf } from '../evaluation/baselines';
import { bestStaticAllocation } from '../evaluation/backtest';
import { allocationsOf, backtestMarket } from '../evaluation/protocol';

/** What answers when nothing is deployed: the rule the gate scored, served the same way. */
export interface ReferenceAnswer {
  classNames: string[];
  /** Strategy: the allocation's risky weights by asset (cash is the rest); null for signal. */
  allocation: { name: string; SPY: number; TLT: number } | null;
  /** Probability row of a symbol's answer (a one-hot row for a deterministic rule). */
  probaFor(symbol: string): Float64Array;
}

const oneHot = (K: number, k: number) => Float64Array.from({ length: K }, (_, j) => (j === k ? 1 : 0));

/**
 * The declared reference at calendar day t of a dataset built from bars up to t, computed from
 * what was known by then (labels whose window has closed), exactly as the assessment scored it:
 * strategy benchmarks hold fixed weights (60/40, SPY) or the static allocation with the best
 * excess Sharpe over the labelled history; `flat` holds nothing (every symbol "hold");
 * `label_persistence` repeats each symbol's newest known label; `majority` the most frequent
 * known label. The random class-prior guess is a diagnostic, never served: a draw is no advice.
 */
export function referenceAnswer(ds: Dataset, name: string, t: number): ReferenceAnswer {
  const K = ds.classNames.length;
  const known: number[] = [];
  for (let i = 0; i < ds.rows; i++) if (ds.t[i] + ds.executionLag + ds.horizon <= t) known.push(i);
  const fixed = (allocation: ReferenceAnswer['allocation'], k: number): ReferenceAnswer => ({ classNames: ds.classNames, allocation, probaFor: () => oneHot(K, k) });
  const classOf = (spy: number, tlt: number) => (ds.allocations ?? []).findIndex((a) => Math.abs(a.spy - spy) < 1e-9 && Math.abs(a.tlt - tlt) < 1e-9);
  switch (name) {
    case 'sixty_forty':
      return fixed({ name, SPY: 0.6, TLT: 0.4 }, classOf(0.6, 0.4));
    case 'buy_and_hold_spy':
      return fixed({ name, SPY: 1, TLT: 0 }, classOf(1, 0));
    case 'best_static_in_training': {
      if (known.length === 0) throw new InsufficientDataError('no label is known yet: the best static allocation cannot be chosen');
      const market = backtestMarket(ds);
      let from = ds.t[known[0]];
      while (from + 2 < t && !market.assets.every((a) => Number.isFinite(a.returns[from + 1]) && Number.isFinite(a.returns[from + 2]))) from++;
      const best = bestStaticAllocation(market, allocationsOf(ds), { from, to: ds.t[known[known.length - 1]] }, { costBps: 0 }).allocation;
      const k = ds.classNames.indexOf(best.name);
      return fixed({ name: best.name, SPY: best.weights[0], TLT: best.weights[1] }, k);
    }
    case 'flat':
      return fixed(null, ds.classNames.indexOf('hold'));
    case 'majority':
    case 'label_persistence': {
      if (known.length === 0) throw new InsufficientDataError('no label is known yet: the baseline cannot answer');
      const majority = majorityOf(classFrequencies(known.map((i) => ds.y[i]), K));
      return {
        classNames: ds.classNames,
        allocation: null,
        probaFor(symbol: string): Float64Array {
          if (name === 'label_persistence') {
            const s = ds.symbols.indexOf(symbol);
            for (let k = known.length - 1; k >= 0; k--) if (ds.symbol[known[k]] === s) return oneHot(K, ds.y[known[k]]);
          }
          return oneHot(K, majority);
        },
      };
    }
    default:
      throw new InsufficientDataError(`the newest decision names "${name}" as its reference, which cannot be served (a random guess is scored as a diagnostic, never deployed): run a retrain`);
  }
}
