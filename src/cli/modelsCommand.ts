import { InvalidArgumentError, type Command } from 'commander';
import { isTaskName } from '../pipeline/tasks';
import { LIVE } from '../registry/names';
import { deployedModel, feedFor, type DeployedModel } from '../registry/deployment';
import { aliasHistory, championLineagesOf, promoteModel, rollbackChampion } from '../store/aliasStore';
import { listModels } from '../store/modelStore';
import { isIsoDate } from '../util/dates';
import { registerApprovalCommands } from './approvalCommands';
import { cliContext, withDb } from './context';

const actor = () => `cli:${process.env.USER ?? 'unknown'}`;

function task(v: string): string {
  if (!isTaskName(v)) throw new InvalidArgumentError(`--task must be strategy or signal, got "${v}"`);
  return v;
}

function date(v: string): string {
  if (!isIsoDate(v)) throw new InvalidArgumentError(`"${v}" is not a YYYY-MM-DD date`);
  return v;
}

/** The CLI contract's fields of a model (keep them stable: scripts read them). */
function contract(m: DeployedModel) {
  return { modelId: m.modelId, kind: m.kind, task: m.task, feed: m.feed, asOf: m.asOf, effectiveFrom: m.effectiveFrom, trainedFrom: m.trainedFrom, trainedThrough: m.trainedThrough, runId: m.runId };
}

export function registerModelCommands(program: Command): void {
  const models = program.command('models').description('the model registry: point-in-time champions per task, feed and lineage (audited)');
  models
    .command('show')
    .description('the champion live now (or at --as-of) for a task and feed')
    .requiredOption('--task <task>', 'strategy | signal', task)
    .option('--as-of <date>', 'the champion live on this date, trained on data up to it', date)
    .option('--feed <feed>', 'data feed (default: the feed of the newest live champion)')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const ctx = cliContext();
      await withDb(ctx, async (db) => {
        const feed = await feedFor(db.db, o.task, o.feed);
        const m = await deployedModel(db.db, { task: o.task, feed, asOf: o.asOf });
        if (!m) {
          console.error(`no champion for task ${o.task} (feed ${feed})${o.asOf ? ` live at ${o.asOf}` : ''}`);
          process.exitCode = 1;
          return;
        }
        console.log(o.json ? JSON.stringify({ ...contract(m), lineage: m.lineage }) : `${m.task} (${m.feed}, ${m.lineage}): ${m.modelId} ${m.kind}, trained ${m.trainedFrom}..${m.trainedThrough}, effective from ${m.effectiveFrom}, run ${m.runId}`);
      });
    });
  models
    .command('list')
    .description('stored models of a task (candidates, refits, champions), newest first')
    .requiredOption('--task <task>', 'strategy | signal', task)
    .option('--run <runId>', 'only this run')
    .option('--limit <n>', 'at most this many', '200')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const ctx = cliContext();
      await withDb(ctx, async (db) => {
        const rows = await listModels(db.db, { task: o.task, runId: o.run, limit: Number(o.limit) });
        const champions = await championLineagesOf(db.db, rows.map((r) => r.id));
        const out = rows.map((r) => {
          const lineages = champions.get(r.id) ?? [];
          return {
            modelId: r.id,
            kind: r.kind,
            task: r.task,
            feed: r.feed,
            asOf: r.asOf,
            effectiveFrom: lineages.length ? r.asOf : null,
            trainedFrom: r.trainedFrom,
            trainedThrough: r.trainedThrough,
            runId: r.runId,
            role: lineages.length ? 'champion' : r.role,
            storedRole: r.role,
            championOf: lineages,
          };
        });
        if (o.json) console.log(JSON.stringify(out));
        else for (const m of out) console.log([m.modelId, m.role, m.kind, m.feed, m.asOf, `${m.trainedFrom}..${m.trainedThrough}`, m.runId].join('\t'));
      });
    });
  models
    .command('promote <modelId>')
    .description("make a model its task's live champion, effective from its as-of (audited)")
    .option('--reason <text>', 'why', 'manual promotion')
    .option('--lineage <name>', 'registry lineage', LIVE)
    .action(async (modelId, o) => {
      const ctx = cliContext();
      await withDb(ctx, async (db) => {
        const r = await promoteModel(db.db, { modelId, actor: actor(), reason: o.reason, lineage: o.lineage });
        console.log(`${r.task} (${r.feed}, ${o.lineage}): champion ${r.previous ?? '(none)'} -> ${modelId}`);
      });
    });
  models
    .command('rollback')
    .description('restore the champion the current one replaced (audited)')
    .requiredOption('--task <task>', 'strategy | signal', task)
    .option('--feed <feed>', 'data feed (default: the feed of the newest live champion)')
    .option('--lineage <name>', 'registry lineage', LIVE)
    .option('--reason <text>', 'why', 'manual rollback')
    .action(async (o) => {
      const ctx = cliContext();
      await withDb(ctx, async (db) => {
        const feed = await feedFor(db.db, o.task, o.feed);
        const r = await rollbackChampion(db.db, { task: o.task, feed, lineage: o.lineage, actor: actor(), reason: o.reason });
        console.log(`${o.task} (${feed}, ${o.lineage}): champion ${r.from} -> ${r.to}`);
      });
    });
  registerApprovalCommands(models, task);
  models
    .command('history')
    .description('alias moves of a task, newest first')
    .requiredOption('--task <task>', 'strategy | signal', task)
    .option('--feed <feed>', 'only this feed')
    .option('--lineage <name>', 'only this lineage')
    .action(async (o) => {
      const ctx = cliContext();
      await withDb(ctx, async (db) => {
        for (const e of await aliasHistory(db.db, { task: o.task, feed: o.feed, lineage: o.lineage })) {
          console.log([e.at.toISOString(), e.feed, e.lineage, e.alias, `${e.previousModelId ?? '(none)'} -> ${e.modelId ?? '(retired: the reference answers)'}`, `effective ${e.effectiveFrom ?? '?'}`, e.actor, e.reason].join('\t'));
        }
      });
    });
}
