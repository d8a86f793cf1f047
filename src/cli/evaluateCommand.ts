import type { Command } from 'commander';
import { createSource } from '../data/sources';
import { datasetsFromSource } from '../datasets/datasetFromSource';
import type { Task } from '../datasets/dataset';
import { runSelectionProtocol } from '../evaluation/protocol';
import { parseRunConfig } from '../pipeline/runConfig';
import { isTaskName } from '../pipeline/tasks';
import type { RetrainInput } from '../../workflows/types';
import { configFromFlags } from './configFlags';
import { sourceOption, withSourceOptions } from './sourceOption';

export interface ProtocolFlags {
  task: string;
  asOf: string;
  models?: string[];
  config?: string;
  symbols?: string;
  onBadRow?: string;
  json?: boolean;
}

export async function runConfigFrom(o: ProtocolFlags, source: RetrainInput['source']) {
  if (!isTaskName(o.task)) throw new Error(`--task must be strategy or signal, got "${o.task}"`);
  const config = await configFromFlags(o);
  return parseRunConfig({ asOf: o.asOf, tasks: [o.task], source, models: o.models, config });
}

export async function datasetFor(o: ProtocolFlags, source: RetrainInput['source']) {
  const cfg = await runConfigFrom(o, source);
  const build = await datasetsFromSource(createSource(cfg.source), { asOf: cfg.asOf, tasks: [o.task as Task], config: cfg.config.dataset, ingest: cfg.config.ingest });
  return { cfg, ds: build.datasets[o.task as Task]! };
}

export const progress = (json: boolean | undefined) => (what: string) => {
  if (!json) process.stderr.write(`  ${what}\n`);
};

export function protocolOptions(cmd: Command): Command {
  return withSourceOptions(cmd.requiredOption('--task <task>', 'strategy | signal').requiredOption('--as-of <date>', 'as-of date (YYYY-MM-DD)'))
    .option('--models <kinds...>', 'model kinds to evaluate')
    .option('--config <json>', 'JSON overrides, as for run')
    .option('--json', 'print JSON');
}

/** `evaluate`: the selection protocol offline, as other people's scripts call it (keep the JSON stable). */
export function registerEvaluateCommand(program: Command): void {
  protocolOptions(
    program.command('evaluate').description('run the purged walk-forward selection protocol once, offline (no Temporal), and print what it would decide'),
  ).action(async (o) => {
    const { cfg, ds } = await datasetFor(o, sourceOption(o));
    const a = await runSelectionProtocol(ds, cfg, { onProgress: progress(o.json) });
    const d = a.document;
    const out = {
      task: d.task,
      asOf: cfg.asOf,
      folds: d.folds,
      candidates: d.candidates.map((c) => ({ kind: c.kind, metrics: c.metrics, final: c.final, kappa: c.kappa, brierSkill: c.brierSkill, value: c.value, ci: c.ci, dsr: c.dsr ? c.dsr.dsr : null, pbo: c.pbo, ...('backtest' in c ? { backtest: c.backtest } : { longShort: c.longShort, signal: c.signal }) })),
      baselines: d.baselines.map((b) => ({ kind: b.kind, metrics: b.metrics, final: b.final, kappa: b.kappa, brierSkill: b.brierSkill, value: b.value, ...('backtest' in b ? { backtest: b.backtest } : { longShort: b.longShort }) })),
      benchmarks: d.benchmarks,
      selected: d.selected,
      reference: d.stats.reference,
      bestBaseline: d.bestBaseline,
      /** Strategy: how SPY and TLT returns account for distributions over the window, price-only legs with dates. */
      returns: d.stats.returnCoverage,
      stats: d.stats,
      verdict: { promote: d.verdict.promote, reason: d.verdict.reason, pValue: d.verdict.pValue, pValueUncorrected: d.decision.pValueUncorrected },
    };
    if (o.json) console.log(JSON.stringify(out));
    else console.log(`${d.task} as of ${cfg.asOf}: ${d.verdict.reason}`);
  });
}
