import { feedOf } from '../src/data/sources/types';
import { approvalPolicy, parseRunConfig, type RunConfig } from '../src/pipeline/runConfig';
import { resolveLineage } from '../src/registry/lineage';
import { LIVE } from '../src/registry/names';
import { getAlias, newestDecisionAsOf } from '../src/store/aliasStore';
import { finishRun, getRun, upsertRunStart } from '../src/store/runStore';
import { NotFoundError } from '../src/errors';
import type { Db } from '../src/db/client';
import type { RetrainInput, RunContext, Trigger } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { toFailure } from './failures';

/** The validated config of a run, as stored by startRun. */
export async function loadRunConfig(db: Db, runId: string): Promise<RunConfig & { lineage: string }> {
  const r = await getRun(db, runId);
  if (!r) throw new NotFoundError(`run ${runId} not found`);
  return { ...parseRunConfig(r.run.input), lineage: r.run.lineage };
}

export function createRunActivities(deps: ActivityDeps) {
  return {
    /** Validates the input (non-retryable on failure), decides the run's registry lineage and records the run. Idempotent. */
    async startRun(a: { workflowId: string; runId: string; asOf: string; trigger: Trigger; input: RetrainInput }): Promise<RunContext> {
      try {
        const cfg = parseRunConfig({ asOf: a.asOf, tasks: a.input.tasks, source: a.input.source, models: a.input.models, meta: a.input.meta, config: a.input.config });
        const feed = feedOf(cfg.source);
        const existing = await getRun(deps.db, a.runId);
        // A retried startRun keeps the lineage it chose the first time.
        const lineage = existing
          ? existing.run.lineage
          : resolveLineage({
                explicit: a.input.lineage,
                trigger: a.trigger,
                asOf: a.asOf,
                workflowId: a.workflowId,
                liveEffectiveFrom: await Promise.all(cfg.tasks.map(async (task) => (await getAlias(deps.db, { task, feed, lineage: LIVE }, 'champion'))?.effectiveFrom ?? null)),
                liveDecidedAsOf: [await newestDecisionAsOf(deps.db, { tasks: cfg.tasks, feed, lineage: LIVE })],
              });
        const buildId = deps.buildId ?? null;
        await upsertRunStart(deps.db, { id: a.runId, workflowId: a.workflowId, trigger: a.trigger, asOf: a.asOf, tasks: cfg.tasks, input: cfg, lineage, buildId });
        deps.logger.info({ runId: a.runId, workflowId: a.workflowId, asOf: a.asOf, trigger: a.trigger, tasks: cfg.tasks, lineage, buildId }, 'run started');
        return {
          runId: a.runId,
          asOf: a.asOf,
          tasks: cfg.tasks,
          feed,
          source: cfg.source,
          models: cfg.models,
          meta: cfg.meta && cfg.models.length >= 2,
          seed: cfg.config.dataset.seed,
          lineage,
          driftRun: cfg.config.drift.retrainOnDrift ? { windowDays: cfg.config.drift.retrainWindowDays } : null,
          buildId,
          // Only the live lineage waits for a person: backfills and as-of replays never block.
          approval: lineage === LIVE ? approvalPolicy(cfg) : null,
          notify: !!deps.notifyWebhookUrl,
          shardSymbols: cfg.config.dataset.signal.shardSymbols,
        };
      } catch (e) {
        throw toFailure(e);
      }
    },

    async finishRun(a: { runId: string; status: 'completed' | 'failed' | 'cancelled'; error?: string | null; errorType?: string | null; summary?: Record<string, unknown> }): Promise<void> {
      await finishRun(deps.db, { id: a.runId, status: a.status, error: a.error, errorType: a.errorType, summary: a.summary });
      deps.logger.info({ runId: a.runId, status: a.status, error: a.error }, 'run finished');
    },
  };
}
