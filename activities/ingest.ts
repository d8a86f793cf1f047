import { Context } from '@temporalio/activity';
import { ingestMarketData } from '../src/ingest/ingest';
import { createSource, type SourceSpec } from '../src/data/sources';
import { runUniverse, universeSummary, universeSymbols } from '../src/data/universe';
import type { IngestResult } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { loadRunConfig } from './runs';
import { runStep } from './steps';
import { saveCashRates } from '../src/store/cashRateStore';

export function createIngestActivities(deps: ActivityDeps) {
  return {
    /** Fetch, validate and upsert the run's universe up to as-of. Idempotent: re-running writes nothing new. */
    async ingestBars(a: { runId: string; source: SourceSpec; asOf: string }): Promise<IngestResult> {
      return runStep(deps, a.runId, 'ingest', async () => {
        const ctx = Context.current();
        const cfg = await loadRunConfig(deps.db, a.runId);
        const source = createSource(a.source);
        const universe = await runUniverse(cfg, source);
        const s = await ingestMarketData(deps.db, source, {
          symbols: universeSymbols(universe),
          until: a.asOf,
          config: cfg.config.ingest,
          onProgress: (done, total) => ctx.heartbeat({ done, total }),
        });
        // The cash rate (e.g. DTB3), when the source carries one: backtests and labels earn it on cash.
        const rates = source.cashRates ? await source.cashRates() : null;
        const cashRows = rates ? await saveCashRates(deps.db, s.feed, rates) : 0;
        const last = Object.values(s.symbols).map((x) => x.last).filter((x): x is string => !!x).sort().at(-1) ?? null;
        deps.logger.info({ runId: a.runId, feed: s.feed, cashRateRows: cashRows, rows: s.rowsWritten, vintage: s.vintage, warnings: s.warnings, quarantined: s.quarantined.length, missingOptional: s.missingOptional }, 'bars ingested');
        return {
          feed: s.feed,
          rowsWritten: s.rowsWritten,
          symbols: Object.keys(s.symbols).length,
          lastDate: last,
          warnings: { ...s.warnings },
          universe: universeSummary(universe, s.stored),
          quarantined: s.quarantined.length,
          vintage: s.vintage,
        };
      });
    },
  };
}
