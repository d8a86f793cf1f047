import type { Dataset } from '../../datasets/dataset';
import type { FitHooks } from './fitCandidate';
import { assessProtocol, type AssessOptions, type Assessment } from './assess';
import { candidateHash } from './candidates';
import { runCandidates } from './candidateSpecs';
import { protocolFolds } from './plan';
import { memoryFoldCache, runFold, type FoldCache } from './runFold';

/** What the protocol reads of a run's configuration (a run config satisfies it). */
export interface SelectionConfig {
  models: string[];
  /** Evaluate the walk-forward meta-learner too (with two or more models). */
  meta: boolean;
  config: Pick<AssessOptions, 'dataset' | 'gate' | 'backtest'> & { modelParams: Record<string, Record<string, unknown>> };
}

/**
 * The whole selection protocol in one process (no Temporal, no database): every candidate on
 * every fold, then the assessment. The pipeline runs the same functions one activity at a time;
 * `evaluate` and `audit placebo` run them here. With no registry, the trial count is the
 * run's own candidates and there is no champion: the first-run rule (beat the best baseline).
 */
export async function runSelectionProtocol(
  ds: Dataset,
  cfg: SelectionConfig,
  o: { cache?: FoldCache; hooks?: FitHooks; onProgress?: (what: string) => void } = {},
): Promise<Assessment> {
  const plan = protocolFolds(ds, cfg.config.dataset);
  const cache = o.cache ?? memoryFoldCache();
  const settings = { dataset: cfg.config.dataset, gap: plan.gap, feed: 'offline' };
  const specs = await runCandidates(cfg.models, cfg.config.modelParams);
  const candidates = [];
  for (const spec of specs) {
    const outs = [];
    for (const f of [...plan.cv, plan.final]) {
      o.onProgress?.(`${spec.kind} fold ${f.index}`);
      outs.push(await runFold(ds, f, spec, settings, cache, o.hooks));
    }
    candidates.push({ key: spec.kind, kind: spec.kind, hash: candidateHash(ds.task, spec, cfg.config.dataset), cv: outs.slice(0, -1), final: outs[outs.length - 1] });
  }
  return assessProtocol(ds, plan, candidates, {
    gate: cfg.config.gate,
    dataset: cfg.config.dataset,
    backtest: cfg.config.backtest,
    meta: cfg.meta && cfg.models.length >= 2 ? (cfg.config.modelParams.meta ?? {}) : null,
    championKey: null,
    championIncomparable: false,
    trials: [],
    metaCache: { cache, feed: settings.feed },
    onProgress: o.onProgress,
  });
}
