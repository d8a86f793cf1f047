import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, type Command } from 'commander';
import { placeboSummary, powerPoint, type TrialOutcome } from '../evaluation/gate';
import { shiftTargets } from '../datasets/placebo';
import { type Assessment, runSelectionProtocol } from '../evaluation/protocol';
import { feedOf } from '../data/sources/types';
import { recordPlaceboAudit } from '../store/placeboAuditStore';
import { trialsInChildren } from './auditJobs';
import { cliContext, withDb } from './context';
import { datasetFor, progress, protocolOptions, runConfigFrom } from './evaluateCommand';
import { plantedEdge, sourceOption } from './sourceOption';

const positiveInt = (flag: string, v: string) => {
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= 1)) throw new InvalidArgumentError(`${flag} must be a positive integer, got "${v}"`);
  return n;
};

const outcome = (trial: number, a: Assessment): TrialOutcome => ({
  trial,
  promoted: a.decision.promoted,
  pValue: a.decision.pValue,
  pValueUncorrected: a.decision.pValueUncorrected,
  dsr: a.stats.dsr?.dsr ?? null,
  selected: a.selected,
  legs: Object.fromEntries((a.stats.legs ?? []).map((l) => [l.name, l.pValue])),
  meanBlockDays: a.stats.bootstrap?.meanBlockDays ?? null,
});

function auditOptions(cmd: Command): Command {
  return protocolOptions(cmd)
    .option('--trials <n>', 'trials', '20')
    .option('--first-trial <k>', 'number of the first trial (to split one audit across processes or machines: the trials, their seeds and results are the same)', '1')
    .option('--jobs <n>', 'run the trials in this many child processes at once', '1');
}

/** `audit placebo` and `audit power`: the gate's size and power, measured (JSON fields are a contract). */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('audits of the selection protocol: its false-promotion rate (placebo) and its power (planted edges)');

  auditOptions(audit.command('placebo').description('run the whole selection protocol N times with every target rotated against the features by a random circular offset; count how often it promotes, and report the uncorrected p-values'))
    .option('--min-shift <days>', 'smallest circular offset, in trading days', '252')
    .option('--block <rows>', 'no longer used: the placebo now rotates the targets (see --min-shift)')
    .option('--record', 'store the result in the database (DATABASE_URL, else the embedded one): run reports of this task and feed then show it')
    .action(async (o) => {
      if (o.block !== undefined) throw new InvalidArgumentError('--block is gone: block-permuted placebos could never fail (label persistence kept its skill); the placebo rotates every target by at least --min-shift days');
      const trials = positiveInt('--trials', o.trials);
      const first = positiveInt('--first-trial', o.firstTrial);
      const jobs = positiveInt('--jobs', o.jobs);
      const minShift = positiveInt('--min-shift', o.minShift);
      const source = sourceOption(o);
      const cfg = await runConfigFrom(o, source);
      let results: TrialOutcome[];
      if (jobs > 1 && trials > 1) results = await trialsInChildren({ trials, first, jobs }, (r) => r.results as TrialOutcome[]);
      else {
        const { ds } = await datasetFor(o, source);
        results = [];
        for (let k = first; k < first + trials; k++) {
          const placebo = shiftTargets(ds, cfg.config.dataset.seed * 7919 + k, minShift);
          const r = outcome(k, await runSelectionProtocol(placebo, cfg, { onProgress: progress(o.json) }));
          results.push(r);
          if (!o.json) process.stderr.write(`trial ${k}: ${r.promoted ? 'PROMOTED' : 'refused'} (p = ${r.pValue?.toFixed(3) ?? 'n/a'}, uncorrected ${r.pValueUncorrected?.toFixed(3) ?? 'n/a'}; shift ${placebo.placebo.offsetDays} days)\n`);
        }
      }
      const s = placeboSummary(results, cfg.config.gate.alpha);
      const out = { ...s, gate: cfg.config.gate, task: o.task, asOf: cfg.asOf, minShiftDays: minShift, models: cfg.models, results };
      if (o.record) {
        await withDb(cliContext(), (db) =>
          recordPlaceboAudit(db.db, { id: randomUUID(), task: o.task, feed: feedOf(cfg.source), asOf: cfg.asOf, trials: s.trials, promotions: s.promotions, ciLow: s.falsePromotionRateCi95[0], ciHigh: s.falsePromotionRateCi95[1], method: 'rotation', minShiftDays: minShift, block: null, shareBelowAlpha: s.shareBelowAlpha, models: cfg.models, gate: cfg.config.gate, results }),
        );
      }
      if (o.json) console.log(JSON.stringify(out));
      else
        console.log(
          `${o.task}: ${s.promotions} of ${s.trials} placebo runs promoted (false-promotion rate ${(s.falsePromotionRate * 100).toFixed(1)}%, 95% CI ${(s.falsePromotionRateCi95[0] * 100).toFixed(1)}–${(s.falsePromotionRateCi95[1] * 100).toFixed(1)}%); uncorrected p <= ${cfg.config.gate.alpha} in ${(s.shareBelowAlpha * 100).toFixed(1)}% (p-value histogram by tenths: ${s.pValueHistogram.counts.join(' ')}; KS vs uniform p = ${s.uniformity.pValue.toFixed(3)})`,
        );
    });

  auditOptions(audit.command('power').description('run the whole selection protocol on synthetic markets with planted edges of each size (seeds varied per trial); how often is each promoted?'))
    .action(async (o) => {
      if ((o.source ?? 'synthetic') !== 'synthetic' || o.csvDir) throw new InvalidArgumentError('audit power needs --source synthetic: only the synthetic market has a known, planted edge');
      if (!o.planted) throw new InvalidArgumentError('audit power needs --planted E1,E2,… (edge sizes)');
      const edges = String(o.planted).split(',').map((e) => plantedEdge(e.trim()));
      const trials = positiveInt('--trials', o.trials);
      const first = positiveInt('--first-trial', o.firstTrial);
      const jobs = positiveInt('--jobs', o.jobs);
      const baseSeed = o.seed === undefined ? 42 : Number(o.seed);
      const cfg = await runConfigFrom(o, { kind: 'synthetic', seed: baseSeed, planted: edges[0] });
      let byEdge: Map<number, TrialOutcome[]>;
      if (jobs > 1 && trials > 1) {
        const merged = await trialsInChildren({ trials, first, jobs }, (r) => (r.points as { edge: number; results: TrialOutcome[] }[]).flatMap((p) => p.results.map((x) => ({ ...x, edge: p.edge }))));
        byEdge = new Map(edges.map((e) => [e, merged.filter((x) => (x as TrialOutcome & { edge: number }).edge === e)]));
      } else {
        byEdge = new Map(edges.map((e) => [e, [] as TrialOutcome[]]));
        for (const edge of edges) {
          for (let k = first; k < first + trials; k++) {
            // Seeds vary per trial: each trial is a new market with the same planted edge.
            const { ds } = await datasetFor(o, { kind: 'synthetic', seed: baseSeed + k - 1, planted: edge });
            const r = outcome(k, await runSelectionProtocol(ds, cfg, { onProgress: progress(o.json) }));
            byEdge.get(edge)!.push(r);
            if (!o.json) process.stderr.write(`edge ${edge} trial ${k} (seed ${baseSeed + k - 1}): ${r.promoted ? 'PROMOTED' : 'refused'} (p = ${r.pValue?.toFixed(3) ?? 'n/a'})\n`);
          }
        }
      }
      const points = edges.map((e) => ({ ...powerPoint(e, byEdge.get(e)!), results: byEdge.get(e)! }));
      const out = { task: o.task, gate: cfg.config.gate, asOf: cfg.asOf, models: cfg.models, seeds: [baseSeed + first - 1, baseSeed + first + trials - 2], points };
      if (o.json) console.log(JSON.stringify(out));
      else for (const p of points) console.log(`${o.task} planted ${p.edge}: promoted ${p.promotions} of ${p.trials} (power ${(p.power * 100).toFixed(0)}%, 95% CI ${(p.powerCi95[0] * 100).toFixed(0)}–${(p.powerCi95[1] * 100).toFixed(0)}%), median p ${p.medianP.toFixed(3)}`);
    });
}
