import { Context } from '@temporalio/activity';
import { DEFAULT_UNIVERSE, PUT_CALL_SYMBOL } from '../src/data/bars';
import { ingestMarketData } from '../src/data/ingest';
import { createSource, type SourceSpec } from '../src/data/sources';
import type { IngestResult } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { runStep } from './steps';

export function createIngestActivities(deps: ActivityDeps) {
  return {
    /** Fetch, validate and upsert bars up to as-of. Idempotent: re-running upserts the same rows. */
    async ingestBars(a: { runId: string; source: SourceSpec; asOf: string }): Promise<IngestResult> {
      return runStep(deps, a.runId, 'ingest', async () => {
        const ctx = Context.current();
        const s = await ingestMarketData(deps.db, createSource(a.source), {
          symbols: [...DEFAULT_UNIVERSE, PUT_CALL_SYMBOL],
          until: a.asOf,
          onProgress: (done, total) => ctx.heartbeat({ done, total }),
        });
        const last = Object.values(s.symbols).map((x) => x.last).filter((x): x is string => !!x).sort().at(-1) ?? null;
        deps.logger.info({ runId: a.runId, feed: s.feed, rows: s.rowsWritten, warnings: s.warnings, missingOptional: s.missingOptional }, 'bars ingested');
        return { feed: s.feed, rowsWritten: s.rowsWritten, symbols: Object.keys(s.symbols).length, lastDate: last, warnings: { ...s.warnings } };
      });
    },
  };
}
