import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { feedOf } from '../data/sources/types';
import { recordPlaceboAudit } from '../store/placeboAuditStore';
import { cliContext, withDb } from './context';
import { createSource } from '../data/sources';
import { datasetsFromSource } from '../datasets/datasetFromSource';
import type { Task } from '../datasets/dataset';
import { permuteTargetsInBlocks } from '../evaluation/placebo';
import { runSelectionProtocol } from '../evaluation/protocol/selectionProtocol';
import { parseRunConfig } from '../pipeline/runConfig';
import { isTaskName } from '../pipeline/tasks';
import { wilsonInterval } from '../evaluation/stats/proportion';
import type { RetrainInput } from '../../workflows/types';
import { symbolsOption } from './dataCommand';
import { withSignalSymbols } from './runInput';
import { sourceOption, withSourceOptions } from './sourceOption';

interface ProtocolFlags {
  task: string;
  asOf: string;
  models?: string[];
  config?: string;
  symbols?: string;
  json?: boolean;
}

async function runConfigFrom(o: ProtocolFlags, source: RetrainInput['source']) {
  if (!isTaskName(o.task)) throw new Error(`--task must be strategy or signal, got "${o.task}"`);
  const config = withSignalSymbols(o.config ? JSON.parse(o.config) : undefined, o.symbols === undefined ? undefined : await symbolsOption(o.symbols));
  return parseRunConfig({ asOf: o.asOf, tasks: [o.task], source, models: o.models, config });
}

async function datasetFor(o: ProtocolFlags, source: RetrainInput['source']) {
  const cfg = await runConfigFrom(o, source);
  const build = await datasetsFromSource(createSource(cfg.source), { asOf: cfg.asOf, tasks: [o.task as Task], config: cfg.config.dataset });
  return { cfg, ds: build.datasets[o.task as Task]! };
}

const progress = (json: boolean | undefined) => (what: string) => {
  if (!json) process.stderr.write(`  ${what}\n`);
};

function protocolOptions(cmd: Command): Command {
  return withSourceOptions(cmd.requiredOption('--task <task>', 'strategy | signal').requiredOption('--as-of <date>', 'as-of date (YYYY-MM-DD)'))
    .option('--models <kinds...>', 'model kinds to evaluate')
    .option('--config <json>', 'JSON overrides, as for run')
    .option('--json', 'print JSON');
}

/** `evaluate` and `audit placebo`: the selection protocol offline, as other people's scripts call it (keep the JSON stable). */
export function registerEvaluateCommands(program: Command): void {
  protocolOptions(
    program.command('evaluate').description('run the purged walk-forward selection protocol once, offline (no Temporal), and print what it would decide'),
  )
    .action(async (o) => {
      const { cfg, ds } = await datasetFor(o, sourceOption(o));
      const a = await runSelectionProtocol(ds, cfg, { onProgress: progress(o.json) });
      const d = a.document;
      const out = {
        task: d.task,
        asOf: cfg.asOf,
        folds: d.folds,
        candidates: d.candidates.map((c) => ({ kind: c.kind, metrics: c.metrics, final: c.final, ci: c.ci, dsr: c.dsr ? c.dsr.dsr : null, pbo: c.pbo, ...('backtest' in c ? { backtest: c.backtest } : { longShort: c.longShort, signal: c.signal }) })),
        baselines: d.baselines.map((b) => ({ kind: b.kind, metrics: b.metrics, final: b.final, ...('backtest' in b ? { backtest: b.backtest } : { longShort: b.longShort }) })),
        benchmarks: d.benchmarks,
        selected: d.selected,
        bestBaseline: d.bestBaseline,
        stats: d.stats,
        verdict: { promote: d.verdict.promote, reason: d.verdict.reason, pValue: d.verdict.pValue },
      };
      if (o.json) console.log(JSON.stringify(out));
      else console.log(`${d.task} as of ${cfg.asOf}: ${d.verdict.reason}`);
    });

  const audit = program.command('audit').description('audits of the selection protocol');
  protocolOptions(audit.command('placebo').description('run the whole selection protocol N times on labels permuted in blocks; count how often it promotes noise'))
    .option('--trials <n>', 'placebo trials', '20')
    .option('--block <days>', 'permutation block length in rows per symbol (>= the horizon; default 4 x (lag + horizon))')
    .option('--record', 'store the result in the database (DATABASE_URL, else the embedded one): run reports of this task and feed then show it')
    .action(async (o) => {
      const { cfg, ds } = await datasetFor(o, sourceOption(o));
      const trials = Number(o.trials);
      if (!(Number.isInteger(trials) && trials >= 1)) throw new Error(`--trials must be a positive integer, got "${o.trials}"`);
      const block = o.block ? Number(o.block) : 4 * (ds.executionLag + ds.horizon);
      const results: { trial: number; promoted: boolean; pValue: number | null; dsr: number | null; selected: string | null }[] = [];
      for (let k = 0; k < trials; k++) {
        const placebo = permuteTargetsInBlocks(ds, block, cfg.config.dataset.seed * 7919 + k + 1);
        const a = await runSelectionProtocol(placebo, cfg, { onProgress: progress(o.json) });
        results.push({ trial: k + 1, promoted: a.decision.promoted, pValue: a.decision.pValue, dsr: a.stats.dsr?.dsr ?? null, selected: a.selected });
        if (!o.json) process.stderr.write(`trial ${k + 1}/${trials}: ${a.decision.promoted ? 'PROMOTED' : 'refused'} (p = ${a.decision.pValue?.toFixed(3) ?? 'n/a'})\n`);
      }
      const promotions = results.filter((r) => r.promoted).length;
      const out = { trials, promotions, falsePromotionRate: promotions / trials, falsePromotionRateCi95: wilsonInterval(promotions, trials), gate: cfg.config.gate, task: o.task, asOf: cfg.asOf, block, models: cfg.models, results };
      if (o.record) {
        await withDb(cliContext(), (db) =>
          recordPlaceboAudit(db.db, { id: randomUUID(), task: o.task, feed: feedOf(cfg.source), asOf: cfg.asOf, trials, promotions, ciLow: out.falsePromotionRateCi95[0], ciHigh: out.falsePromotionRateCi95[1], block, models: cfg.models, gate: cfg.config.gate, results }),
        );
      }
      if (o.json) console.log(JSON.stringify(out));
      else console.log(`${o.task}: ${promotions} of ${trials} placebo runs promoted (false-promotion rate ${(out.falsePromotionRate * 100).toFixed(1)}%, 95% CI ${(out.falsePromotionRateCi95[0] * 100).toFixed(1)}–${(out.falsePromotionRateCi95[1] * 100).toFixed(1)}%)`);
    });
}
