import { InvalidArgumentError, type Command } from 'commander';
import { checkMarket, type SymbolReport } from '../data/checkMarket';
import { commitIngest, prepareIngest } from '../ingest/ingest';
import { createSource } from '../data/sources';
import { runUniverse, universeSymbols } from '../data/universe';
import { parseRunConfig } from '../pipeline/runConfig';
import { fromUtcDate, isIsoDate } from '../util/dates';
import { configFromFlags } from './configFlags';
import { cliContext, withDb } from './context';
import { withSourceOptions, sourceOption } from './sourceOption';

interface DataOptions {
  source?: string;
  csvDir?: string;
  seed?: string;
  symbols?: string;
  onBadRow?: string;
  config?: string;
  until?: string;
  json?: boolean;
}

/** The per-symbol reports: JSON keyed by symbol (the contract), or one block per symbol for people. */
function printReports(reports: Record<string, SymbolReport>, json: boolean): void {
  if (json) {
    const out = Object.fromEntries(Object.entries(reports).map(([s, r]) => [s, { rows: r.rows, first: r.first, last: r.last, warnings: r.warnings, errors: r.errors, quarantined: r.quarantined }]));
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  for (const [symbol, r] of Object.entries(reports)) {
    const status = r.errors.length > 0 ? 'REJECTED' : 'ok';
    console.log(`${symbol.padEnd(8)} ${status.padEnd(8)} ${String(r.rows).padStart(6)} rows  ${r.first ?? '-'} .. ${r.last ?? '-'}  ${r.quarantined.length} quarantined`);
    for (const e of r.errors) console.log(`  error: ${e}`);
    for (const q of r.quarantined) console.log(`  quarantined: ${q.file}, row ${q.row}, field "${q.field}": ${q.reason}`);
    for (const w of r.warnings) console.log(`  warning: ${w}`);
  }
}

async function plan(o: DataOptions) {
  if (o.until !== undefined && !isIsoDate(o.until)) throw new InvalidArgumentError(`--until "${o.until}" is not a YYYY-MM-DD date`);
  const until = o.until ?? fromUtcDate(new Date());
  const spec = sourceOption({ ...o, source: o.source ?? 'csv' });
  // The same flags -> config path as run, evaluate and audit: --on-bad-row, --symbols and `ingest` in --config.
  const cfg = parseRunConfig({ asOf: until, source: spec, config: await configFromFlags(o) });
  const source = createSource(cfg.source);
  const universe = await runUniverse(cfg, source);
  // Skipped names are already quoted by quoteUntrusted: nothing hostile reaches the terminal.
  for (const s of universe.skipped) console.error(`warning: skipped file ${s.name}: ${s.reason}`);
  return { source, symbols: universeSymbols(universe), until, config: cfg.config.ingest };
}

function dataOptions(cmd: Command): Command {
  return withSourceOptions(cmd, 'csv')
    .option('--config <json>', 'JSON overrides as for run; `ingest` (onBadRow, maxDailyMove) and dataset.signal.symbols apply here')
    .option('--until <date>', 'last date to keep (default today)')
    .option('--json', 'print per symbol { rows, first, last, warnings, errors, quarantined } as JSON');
}

/** `data validate` and `data ingest`: the data checks as commands (a contract: scripts call them). */
export function registerDataCommands(program: Command): void {
  const data = program.command('data').description('check and ingest market data (SPY, TLT, VIX, sectors, PCR and the signal symbols)');
  dataOptions(data.command('validate').description('read and validate without writing anything; exit 1 when any file is rejected')).action(async (o: DataOptions) => {
    const p = await plan(o);
    const check = await checkMarket(p.source, { symbols: p.symbols, until: p.until, config: p.config });
    printReports(check.reports, o.json === true);
    if (check.errors.length > 0) process.exitCode = 1;
  });
  dataOptions(data.command('ingest').description('validate, then write to the database (DATABASE_URL or the embedded default); nothing is written when any file is rejected')).action(
    async (o: DataOptions) => {
      const p = await plan(o);
      const ctx = cliContext();
      await withDb(ctx, async (db) => {
        const prepared = await prepareIngest(db.db, p.source, { symbols: p.symbols, until: p.until, config: p.config });
        if (prepared.check.errors.length > 0) {
          printReports(prepared.check.reports, o.json === true);
          console.error(`nothing written: ${prepared.check.errors.length} file(s) rejected`);
          process.exitCode = 1;
          return;
        }
        const s = await commitIngest(db.db, prepared);
        printReports(s.reports, o.json === true);
        console.error(`feed ${s.feed}: ${s.rowsWritten} rows written (${s.rowsChanged} changed), vintage ${s.vintage ?? '(unchanged)'}, ${s.quarantined.length} quarantined, into ${db.describe}`);
      });
    },
  );
}
