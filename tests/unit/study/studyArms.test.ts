import { beforeAll, describe, expect, it } from 'vitest';
import { createSource } from '../../../src/data/sources';
import { datasetConfig } from '../../../src/datasets/config';
import { labelEnd, rowsBetween, type Dataset } from '../../../src/datasets/dataset';
import { datasetsFromSource } from '../../../src/datasets/datasetFromSource';
import { candidateHash, memoryFoldCache, protocolDecision, runCandidates } from '../../../src/evaluation/protocol';
import { planFolds } from '../../../src/sampling/folds';
import { parseRunConfig } from '../../../src/pipeline/runConfig';
import { REGIMES } from '../../../src/regimes/regimes';
import { naturalSample } from '../../../src/sampling/balancedSampler';
import { parseArms, trainingArmConfig, TRAINING_ARMS } from '../../../src/study/arms';
import { cadenceFolds, retrainDays, studySpan } from '../../../src/study/cadence';
import { studyFold } from '../../../src/study/fitting';
import { policyArms } from '../../../src/study/policyArms';
import { runStudy, studyReplay } from '../../../src/study/runStudy';
import { policyServeUnits, studyUnits } from '../../../src/study/units';

describe('study arms', () => {
  it('parses the stable arm names and refuses others', () => {
    expect(parseArms('plain,default,cadence:weekly,policy:gated')).toEqual(['plain', 'default', 'cadence:weekly', 'policy:gated']);
    expect(() => parseArms('plain,plain')).toThrow(/plain named twice/);
    expect(() => parseArms('cadence:daily')).toThrow(/unknown arm\(s\) cadence:daily/);
  });

  it('each single-choice arm differs from plain in exactly its own choice', () => {
    const run = datasetConfig({});
    const plain = trainingArmConfig('plain', run);
    expect(plain).toMatchObject({ uniquenessWeights: false, includeCrisisArchive: false, sampler: { mode: 'natural' } });
    expect(new Set(Object.values(plain.regimeWeights))).toEqual(new Set([1]));
    const fields = (a: object, b: object) => Object.keys(a).filter((k) => JSON.stringify((a as Record<string, unknown>)[k]) !== JSON.stringify((b as Record<string, unknown>)[k]));
    expect(fields(trainingArmConfig('weights', run), plain)).toEqual(['regimeWeights']);
    expect(fields(trainingArmConfig('balanced', run), plain)).toEqual(['sampler']);
    expect(fields(trainingArmConfig('archive', run), plain)).toEqual(['includeCrisisArchive']);
    expect(fields(trainingArmConfig('uniqueness', run), plain)).toEqual(['uniquenessWeights']);
    expect(trainingArmConfig('default', run)).toBe(run);
    expect(TRAINING_ARMS).toHaveLength(6);
  });

  it('the natural sample keeps the window’s own regime mix and takes archive rows first', () => {
    const regimes = Array.from({ length: 10_000 }, (_, i) => (i % 10 === 0 ? 3 : i % 2));
    const all = naturalSample(regimes, null, { seed: 1, targetMix: datasetConfig({}).sampler.targetMix });
    expect(all.indices.length).toBe(10_000);
    const half = naturalSample(regimes, null, { seed: 1, size: 5_000, targetMix: datasetConfig({}).sampler.targetMix });
    expect(half.indices.length).toBe(5_000);
    expect(new Set(half.indices).size).toBe(5_000);
    const crash = half.mix.find((m) => m.regime === 'crash')!;
    expect(crash.achieved).toBeGreaterThan(0.08);
    expect(crash.achieved).toBeLessThan(0.12);
    const preferred = regimes.map((_, i) => i < 300);
    const archived = naturalSample(regimes, preferred, { seed: 1, size: 1_000, targetMix: datasetConfig({}).sampler.targetMix });
    expect(archived.archiveRows).toBe(300);
    for (let i = 0; i < 300; i++) expect(archived.indices.includes(i)).toBe(true);
  });
});

describe('cadence and policy arms on a synthetic market', () => {
  let ds: Dataset;
  const asOf = '2010-06-30';
  beforeAll(async () => {
    const cfg = parseRunConfig({ asOf, tasks: ['strategy'], source: { kind: 'synthetic', seed: 3, planted: 0.01 } });
    ds = (await datasetsFromSource(createSource(cfg.source), { asOf, tasks: ['strategy'], config: cfg.config.dataset })).datasets.strategy!;
  }, 120_000);

  it('each decision day is served by a model trained only on labels that ended before its retrain day, purged and embargoed', async () => {
    const cfg = datasetConfig({});
    const gap = ds.executionLag + ds.horizon + cfg.split.embargo;
    const span = studySpan(ds, '2009-01-01', gap, cfg.split.minTrainDays);
    const weekly = retrainDays(ds, span.from, span.to, 'weekly');
    for (const c of ['monthly', 'quarterly', 'yearly'] as const) for (const d of retrainDays(ds, span.from, span.to, c)) expect(weekly).toContain(d);
    expect(retrainDays(ds, span.from, span.to, 'once')).toEqual([span.from]);
    for (const c of ['weekly', 'monthly', 'once'] as const) {
      const folds = cadenceFolds(ds, span, c, gap, null);
      expect(folds[0].test!.from).toBe(span.from);
      expect(folds[folds.length - 1].test!.to).toBe(span.to);
      folds.forEach((f, k) => {
        if (k > 0) expect(f.test!.from).toBe(folds[k - 1].test!.to + 1);
        const train = rowsBetween(ds, f.train.from, f.train.to);
        const newest = labelEnd(ds, train[train.length - 1]);
        expect(newest + cfg.split.embargo).toBeLessThan(f.test!.from);
      });
    }
    // The fitted model says the same: it saw nothing past its retrain day.
    const f = cadenceFolds(ds, span, 'monthly', gap, null)[3];
    const out = await studyFold(ds, f, { kind: 'logistic', params: {} }, cfg, gap, 't', memoryFoldCache());
    expect(out.summary.trainedThrough < ds.dates[f.test!.from]).toBe(true);
    expect(Array.from(out.rows).every((i) => ds.t[i] >= f.test!.from && ds.t[i] <= f.test!.to)).toBe(true);
  }, 120_000);

  it('policy arms: the baseline serves exactly the declared benchmark; the gated policy on a planted edge beats it', async () => {
    const cfg = parseRunConfig({ asOf, tasks: ['strategy'], source: { kind: 'synthetic', seed: 3, planted: 0.01 }, models: ['logistic'], config: { gate: { bootstrapReps: 200 } } });
    const doc = await runStudy(ds, cfg, { arms: ['policy:gated', 'policy:never', 'policy:baseline'], from: '2009-10-01' });
    const [gated, never, baseline] = doc.arms;
    expect(baseline.deployments).toEqual({ reference: expect.any(Number) });
    expect(baseline.fits).toEqual({ trained: 0, reused: 0 });
    expect(baseline.metrics.all.n).toBe(0);
    // Holding the benchmark, its advantage over the benchmark is exactly nothing.
    const leg = baseline.value.legs.find((l) => l.name === 'benchmark')!;
    expect(leg.diff).toBe(0);
    expect(gated.vsReference!.reference).toBe('policy:baseline');
    expect(gated.vsReference!.ci95[0]).toBeGreaterThan(0);
    expect(Object.keys(gated.deployments!).every((k) => ['promote', 'refresh', 'keep', 'reference', 'none'].includes(k))).toBe(true);
    // Never retrains: after the first week every prediction comes from the first week's model.
    expect(never.fits.trained).toBeLessThanOrEqual(gated.fits.trained);
    for (const r of REGIMES) expect(typeof gated.vsReference!.byRegime[r].n).toBe('number');
  }, 600_000);

  it('policy arms fan out: the planned gate fits and the refits the replay serves are every fit they need, and serve the same arms', async () => {
    const cfg = parseRunConfig({ asOf, tasks: ['strategy'], source: { kind: 'synthetic', seed: 3, planted: 0.01 }, models: ['logistic', 'lightgbm'], config: { gate: { bootstrapReps: 100 }, modelParams: { lightgbm: { nRounds: 20 } } } });
    const arms = parseArms('policy:gated,policy:always,policy:never,policy:baseline');
    const from = '2010-01-04';
    const oneProcess = await runStudy(ds, cfg, { arms, from });

    const cache = memoryFoldCache();
    const fitAll = async (units: Awaited<ReturnType<typeof studyUnits>>) => {
      for (const u of units) expect((await studyFold(ds, u.fold, u.spec, cfg.config.dataset, u.gap, 'offline', cache)).source).toBe('fitted');
    };
    const planned = await studyUnits(ds, cfg, arms, from);
    await fitAll(planned);
    const replay = (await studyReplay(ds, cfg, { arms, from, cache }))!;
    expect(Object.values(replay.fits).every((c) => c.trained === 0)).toBe(true);
    expect(new Set(replay.decisions.map((d) => d.selected)).size).toBeGreaterThan(0);
    // The replay decides each distinct (CV predictions, champion) once: the same decisions as deciding every week afresh.
    const run = cfg.config.dataset;
    const reach = ds.executionLag + ds.horizon;
    const weeks = cadenceFolds(ds, studySpan(ds, from, reach + run.split.embargo, run.split.minTrainDays), 'weekly', reach + run.split.embargo, null);
    const specs = await runCandidates(cfg.models, cfg.config.modelParams);
    let champion: string | null = null;
    const afresh = [];
    for (const wk of weeks) {
      const plan = planFolds(ds.t[0], wk.test!.from - 1 - reach, { lag: ds.executionLag, horizon: ds.horizon, ...run.split });
      const candidates = [];
      for (const s of specs) {
        const outs = [];
        for (const f of [...plan.cv, plan.final]) outs.push(await studyFold(ds, f, s, run, plan.gap, 'offline', cache));
        candidates.push({ key: s.kind, kind: s.kind, hash: candidateHash(ds.task, s, run), cv: outs.slice(0, -1), final: outs[outs.length - 1] });
      }
      const a = await protocolDecision(ds, plan, candidates, { gate: cfg.config.gate, dataset: run, backtest: cfg.config.backtest, meta: null, championKey: champion, championIncomparable: false, trials: [] });
      const d = { selected: a.sel >= 0 ? a.predictors[a.sel].key : null, action: a.decision.action };
      if (d.action === 'promote' && d.selected) champion = d.selected;
      afresh.push(d);
    }
    expect(replay.decisions).toEqual(afresh);
    expect(new Set(afresh.map((d) => d.action)).size).toBeGreaterThan(1); // the champion moved: the memo was keyed by it
    const serving = await policyServeUnits(ds, cfg, arms, from, replay.decisions, planned);
    expect(serving.length).toBeGreaterThan(0);
    // Only what is served: each week at most the newest selected refit and the refreshed champion's (and never's first).
    expect(serving.length).toBeLessThanOrEqual(2 * replay.decisions.length + 1);
    await fitAll(serving);
    const fannedOut = await runStudy(ds, cfg, { arms, from, cache, policyReplay: replay });
    expect(fannedOut.arms.every((a) => a.fits.trained === 0)).toBe(true);
    expect(fannedOut.arms.map((a) => [a.name, a.deployments, a.value, a.vsReference])).toEqual(oneProcess.arms.map((a) => [a.name, a.deployments, a.value, a.vsReference]));
    // A model serving many weeks predicts them in one pass: the same as predicting each week alone.
    const span = studySpan(ds, from, reach + run.split.embargo, run.split.minTrainDays);
    const never = await policyArms(ds, cfg, { span, arms: ['policy:never'], specs, cache, feed: 'offline', replay });
    const first = replay.decisions[0].selected!; // never keeps the first week's selection
    expect(first).toBeTruthy();
    const K = ds.classNames.length;
    const trained = { from: ds.t[0], to: weeks[0].test!.from - 1 - reach };
    for (const w of [1, 7, weeks.length - 1]) {
      const alone = await studyFold(ds, { index: w, role: 'refit', train: trained, test: weeks[w].test }, specs.find((x) => x.kind === first)!, run, reach + run.split.embargo, 'offline', memoryFoldCache());
      const at = never.predictors[0].cv.rows.indexOf(alone.rows[0]);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(Array.from(never.predictors[0].cv.proba!.slice(at * K, (at + alone.rows.length) * K))).toEqual(Array.from(alone.proba));
    }
  }, 600_000);
});
