import { InvalidArgumentError, type Command } from 'commander';
import { trendPoints, trendTable } from '../reports/runTrend';
import { renderTrendPage } from '../reports/trendPage';
import { taskRunHistory } from '../store/trendStore';
import { cliContext, withDb } from './context';
import { writeReportFile } from './reportCommand';

/** `runs trend`: a task's champion metrics, promotions, drift and durations across its runs. */
export function registerTrendCommand(runs: Command): void {
  runs
    .command('trend')
    .description("a task's champion metrics (with the CI of its lead over the best baseline), promotions, drift and run durations across runs")
    .requiredOption('--task <task>', 'strategy | signal')
    .option('--last <n>', 'how many of the newest runs', '26')
    .option('--lineage <lineage>', 'registry lineage (live, or a backfill/drift lineage)', 'live')
    .option('--html <file>', 'also write an HTML page with charts to this file')
    .option('--json', 'print the points as JSON instead of a table')
    .action(async (o) => {
      if (o.task !== 'strategy' && o.task !== 'signal') throw new InvalidArgumentError('--task must be strategy or signal');
      const last = Number(o.last);
      if (!Number.isInteger(last) || last < 1) throw new InvalidArgumentError('--last must be a positive integer');
      const ctx = cliContext();
      const points = trendPoints(await withDb(ctx, (db) => taskRunHistory(db.db, { task: o.task, last, lineage: o.lineage })));
      console.log(o.json ? JSON.stringify(points, null, 2) : trendTable(points));
      if (o.html) console.error(`trend page: ${await writeReportFile(renderTrendPage(o.task, o.lineage, points), o.html)}`);
    });
}
