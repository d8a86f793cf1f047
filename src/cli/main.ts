#!/usr/bin/env node
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { RetrainInput, TaskName } from '../../workflows/types';
import { startRetrain } from '../temporal/startRetrain';
import { registerEvaluateCommand } from './evaluateCommand';
import { registerAuditCommands } from './auditCommands';
import { registerStudyCommand } from './studyCommand';
import { registerModelCommands } from './modelsCommand';
import { backfillSchedule, deleteSchedule, describeSchedule, ensureWeeklySchedule, pauseSchedule, triggerSchedule, unpauseSchedule } from '../../schedules/weeklySchedule';
import { getRun, listRuns } from '../store/runStore';
import { ensureSearchAttributes } from '../temporal/searchAttributes';
import { isIsoDate } from '../util/dates';
import { cliContext, withClient, withDb } from './context';
import { runDev } from './dev';
import { formatRunSummary } from './runSummary';
import { runWorker } from './worker';
import { registerTrendCommand } from './trendCommand';
import { sourceOption, withSourceOptions } from './sourceOption';
import { registerDataCommands } from './dataCommand';
import { configFromFlags } from './configFlags';
import { defaultReportPath, reportHtml, serveReport, writeReportFile } from './reportCommand';
import { predictWithChampion } from '../predict/predict';

function isoDate(v: string): string {
  if (!isIsoDate(v)) throw new InvalidArgumentError(`"${v}" is not a YYYY-MM-DD date`);
  return v;
}

/**
 * The whole CLI, built but not run: the entry point below parses argv with it, and
 * `npm run docs:cli` writes docs/cli.md from it.
 */
export function buildProgram(): Command {
const program = new Command('regime-retrain').description('Regime-aware weekly retraining pipeline on Temporal');

program
  .command('dev')
  .description('embedded default: dev Temporal server, database, worker and schedule, then one retrain on the synthetic market')
  .option('--as-of <date>', 'as-of date of the demo run', isoDate)
  .option('--no-run', 'start everything but do not start a demo run')
  .option('--task <task...>', 'tasks of the demo run: strategy and/or signal (default both)')
  .option('--config <json>', 'JSON overrides for the demo run, as `run --config` takes them')
  .option('--on-bad-row <mode>', 'reject | quarantine: ingest.onBadRow of the demo run (as for every command that reads a source)')
  .action(async (o) => runDev(cliContext(), { asOf: o.asOf, run: o.run, tasks: o.task as TaskName[] | undefined, config: await configFromFlags({ config: o.config, onBadRow: o.onBadRow }) }));

program
  .command('worker')
  .description('run a worker on the task queue (TEMPORAL_ADDRESS, DATABASE_URL)')
  .addOption(new Option('--role <role>', 'workflows, activities, or both (split CPU-bound training from workflow tasks)').choices(['all', 'workflows', 'activities']).default('all'))
  .action(async (o) => runWorker(cliContext(), { role: o.role }));

program
  .command('migrate')
  .description('apply database migrations')
  .action(async () => {
    const ctx = cliContext();
    await withDb(ctx, async (db) => ctx.logger.info({ database: db.describe }, 'migrations applied'));
  });

withSourceOptions(
  program
    .command('run')
    .description('start a manual retrain, wait for it and print a summary')
    .requiredOption('--as-of <date>', 'as-of date (YYYY-MM-DD)', isoDate)
    .option('--task <task...>', 'strategy and/or signal', ['strategy', 'signal']),
)
  .option('--models <kinds...>', 'model kinds to train')
  .option('--config <json>', 'JSON overrides: {"dataset":...,"modelParams":...,"gate":...}')
  .option('--no-wait', 'print the workflow id and return')
  .action(async (o) => {
    const ctx = cliContext();
    await withClient(ctx, async (client) => {
      const sa = await ensureSearchAttributes(client, ctx.config.temporal.namespace, ctx.logger);
      const config = await configFromFlags(o);
      const input: RetrainInput = { asOf: o.asOf, tasks: o.task as TaskName[], source: sourceOption(o), trigger: 'manual', models: o.models, config, searchAttributes: sa };
      const workflowId = `retrain-manual-${o.asOf}-${randomUUID().slice(0, 8)}`;
      const handle = await startRetrain(client, { taskQueue: ctx.config.temporal.taskQueue, workflowId, input });
      console.log(`started ${workflowId} (run ${handle.firstExecutionRunId})`);
      if (o.wait === false) return;
      console.log(formatRunSummary(await handle.result()));
    });
  });

const runsCmd = program.command('runs').description('run history from Postgres');
runsCmd
  .command('list')
  .description('the newest runs, one a line: id, workflow id, trigger, as-of, status, stage, start, error')
  .option('--limit <n>', 'how many', '20')
  .action(async (o) => {
    const ctx = cliContext();
    await withDb(ctx, async (db) => {
      for (const r of await listRuns(db.db, Number(o.limit))) {
        console.log([r.id, r.workflowId, r.trigger, r.asOf, r.status, r.stage, r.startedAt.toISOString(), r.error ?? ''].join('\t'));
      }
    });
  });
runsCmd
  .command('show <id>')
  .description('a run (by run id or workflow id) with its steps')
  .action(async (id) => {
    const ctx = cliContext();
    await withDb(ctx, async (db) => {
      const r = await getRun(db.db, id);
      if (!r) {
        console.error(`no run ${id}`);
        process.exitCode = 1;
        return;
      }
      console.log(JSON.stringify(r, null, 2));
    });
  });

registerTrendCommand(runsCmd);

runsCmd
  .command('report <id>')
  .description("write the run's HTML report to a file (default REPORTS_DIR/<run>.html), or serve it")
  .option('--out <file>', 'where to write it')
  .option('--serve', 'serve it on http://127.0.0.1:PORT until Ctrl-C')
  .option('--port <n>', 'port for --serve', '8787')
  .action(async (id, o) => {
    const ctx = cliContext();
    // Read, then let go of the database: serving the page must not keep others out of it.
    const { runId, html } = await withDb(ctx, (db) => reportHtml(db.db, id));
    if (o.serve) return serveReport(html, Number(o.port));
    console.log(await writeReportFile(html, o.out ?? defaultReportPath(ctx.config.reportsDir, runId)));
  });

program
  .command('predict')
  .description("the task's champion on the latest features (JSON); --stream repeats every --interval seconds")
  .option('--task <task>', 'strategy | signal', 'strategy')
  .option('--as-of <date>', 'use bars up to this date and the champion live then (default: newest stored, live champion)', isoDate)
  .option('--feed <feed>', 'data feed (default: the feed of the newest live champion)')
  .option('--stream', 'emit one prediction per interval until Ctrl-C')
  .option('--interval <seconds>', 'seconds between predictions with --stream', '60')
  .action(async (o) => {
    if (o.task !== 'strategy' && o.task !== 'signal') throw new InvalidArgumentError('--task must be strategy or signal');
    const ctx = cliContext();
    await withDb(ctx, async (db) => {
      const once = async () => {
        const out = await predictWithChampion(db.db, { task: o.task, asOf: o.asOf, feed: o.feed });
        for (const p of out) console.log(JSON.stringify(p));
        const m = out[0]?.model_metadata;
        if (m?.stale) console.error(`warning: champion ${m.model_id} is stale: trained through ${m.trained_through}, ${m.age_days} days before the day answered for (gate.maxChampionAgeDays ${m.max_age_days}); run a retrain`);
      };
      await once();
      if (!o.stream) return;
      const ms = Math.max(1, Number(o.interval)) * 1000;
      await new Promise<void>((done) => {
        const timer = setInterval(() => void once().catch((e) => console.error(e.message)), ms);
        process.once('SIGINT', () => {
          clearInterval(timer);
          done();
        });
      });
    });
  });

registerModelCommands(program);
registerEvaluateCommand(program);
registerAuditCommands(program);
registerStudyCommand(program);

const sched = program.command('schedule').description('the weekly Temporal Schedule');
const scheduleSettings = () => {
  const ctx = cliContext();
  const s = ctx.config.schedule;
  return { ctx, settings: { scheduleId: s.id, taskQueue: ctx.config.temporal.taskQueue, timeZone: s.timeZone, dayOfWeek: s.dayOfWeek, hour: s.hour, minute: s.minute, catchupWindow: s.catchupWindow } };
};
withSourceOptions(sched.command('create').description('create or update the schedule (idempotent)'))
  .option('--task <task...>', 'strategy and/or signal', ['strategy', 'signal'])
  .option('--config <json>', 'JSON overrides of every scheduled run, as for run')
  .action(async (o) => {
    const { ctx, settings } = scheduleSettings();
    const config = await configFromFlags(o);
    await withClient(ctx, async (client) => {
      const sa = await ensureSearchAttributes(client, ctx.config.temporal.namespace, ctx.logger);
      const what = await ensureWeeklySchedule(client, { ...settings, input: { tasks: o.task, source: sourceOption(o), searchAttributes: sa, ...(config ? { config } : {}) } });
      console.log(`schedule ${settings.scheduleId} ${what}: ${settings.dayOfWeek} ${settings.hour}:${String(settings.minute).padStart(2, '0')} ${settings.timeZone}`);
    });
  });
for (const [name, fn, help] of [
  ['pause', pauseSchedule, 'pause the schedule'],
  ['unpause', unpauseSchedule, 'unpause the schedule'],
  ['trigger', triggerSchedule, 'start a run now'],
  ['delete', deleteSchedule, 'delete the schedule'],
] as const) {
  sched
    .command(name)
    .description(help)
    .action(async () => {
      const { ctx, settings } = scheduleSettings();
      await withClient(ctx, async (client) => {
        await fn(client, settings.scheduleId);
        console.log(`schedule ${settings.scheduleId}: ${name} done`);
      });
    });
}
sched
  .command('describe')
  .description('the schedule as the server holds it (JSON): spec, paused, next and recent actions')
  .action(async () => {
    const { ctx, settings } = scheduleSettings();
    await withClient(ctx, async (client) => {
      const d = await describeSchedule(client, settings.scheduleId);
      if (!d) {
        console.log(`schedule ${settings.scheduleId} does not exist`);
        process.exitCode = 1;
        return;
      }
      console.log(JSON.stringify({ id: d.scheduleId, paused: d.state.paused, note: d.state.note, spec: d.spec, nextActionTimes: d.info.nextActionTimes, recentActions: d.info.recentActions.map((a) => ({ scheduledAt: a.scheduledAt, workflowId: a.action.workflow.workflowId })) }, null, 2));
    });
  });
sched
  .command('backfill')
  .description('replay the weekly policy for each Saturday in [from, to], in order, in a registry lineage of its own')
  .requiredOption('--from <date>', 'first date', isoDate)
  .requiredOption('--to <date>', 'last date', isoDate)
  .action(async (o) => {
    const { ctx, settings } = scheduleSettings();
    await withClient(ctx, async (client) => {
      const b = await backfillSchedule(client, settings.scheduleId, o.from, o.to);
      console.log(`backfill ${b.workflowId} (lineage backfill:${b.workflowId}) started for ${b.saturdays.length} Saturdays: ${b.saturdays.join(', ')}`);
    });
  });

registerDataCommands(program);

return program;
}

/** Parses argv and runs the command; a failure prints its message and exits 1. */
export function runCli(argv: string[] = process.argv): void {
  buildProgram()
    .parseAsync(argv)
    .catch((e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}

// Run only as the process's entry (`tsx src/cli/main.ts ...`); importers call runCli or buildProgram.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) runCli();
