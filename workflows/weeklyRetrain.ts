import {
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  startChild,
  defineQuery,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { ErrorTypes } from '../src/errors';
import { dateInZone, isIsoDate } from '../src/util/dates';
import { AS_OF, CHAMPION_CHANGED, SCHEDULED_START_TIME, STATUS, TASKS, TRIGGER } from './searchAttributes';
import { DEFAULT_TASKS, type RetrainInput, type RetrainProgress, type RetrainResult, type TaskName, type TaskOutcome, type Trigger } from './types';

type Activities = ReturnType<typeof createActivities>;

/** Bad input never gets better by retrying. */
const NON_RETRYABLE: string[] = Object.values(ErrorTypes);
const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8, nonRetryableErrorTypes: NON_RETRYABLE };

const bookkeeping = proxyActivities<Activities>({ startToCloseTimeout: '2m', retry });
const ingest = proxyActivities<Activities>({ startToCloseTimeout: '30m', heartbeatTimeout: '2m', retry });
const prepare = proxyActivities<Activities>({ startToCloseTimeout: '20m', heartbeatTimeout: '2m', retry });
// Training heartbeats at least every few seconds (per tree / round / batch, sent at most every
// 2 s): a 30 s heartbeat timeout notices a dead worker quickly and the retry resumes from the
// last checkpoint. Cancellation reaches the activity with the next heartbeat.
const training = proxyActivities<Activities>({ startToCloseTimeout: '3h', heartbeatTimeout: '30s', retry });
const judging = proxyActivities<Activities>({ startToCloseTimeout: '20m', heartbeatTimeout: '2m', retry });

export const progressQuery = defineQuery<RetrainProgress>('progress');

/** Saturday 21:00 New York is Sunday in UTC: the as-of date is the local calendar date. */
function resolveAsOf(input: RetrainInput): string {
  if (input.asOf !== undefined) {
    if (!isIsoDate(input.asOf)) throw ApplicationFailure.nonRetryable(`asOf "${input.asOf}" is not a YYYY-MM-DD date`, 'InvalidConfigError');
    return input.asOf;
  }
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(SCHEDULED_START_TIME);
  return dateInZone(scheduled ?? info.startTime, input.timeZone ?? 'America/New_York');
}

/**
 * Scheduled actions carry their scheduled time. One started more than a day after it (the
 * catch-up window; SKIP never queues live runs) was requested by a backfill.
 */
function inferTrigger(): Trigger {
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(SCHEDULED_START_TIME);
  if (!scheduled) return 'manual';
  return info.startTime.getTime() - scheduled.getTime() > 24 * 3600 * 1000 ? 'backfill' : 'schedule';
}

/**
 * The weekly retrain: ingest -> regimeLabel -> balancedSample -> train (one activity per
 * model, in parallel) -> evaluate per regime -> promotion gate, for each task.
 */
export async function weeklyRetrain(input: RetrainInput = {}): Promise<RetrainResult> {
  const info = workflowInfo();
  const progress: RetrainProgress = { stage: 'starting', completedSteps: [], runningSteps: [], asOf: null };
  setHandler(progressQuery, () => progress);
  const asOf = resolveAsOf(input);
  progress.asOf = asOf;
  const trigger = input.trigger ?? inferTrigger();
  const setStatus = (status: string, championChanged?: boolean) => {
    upsertMemo({ asOf, status, trigger, ...(championChanged !== undefined ? { championChanged } : {}) });
    if (input.searchAttributes) {
      upsertSearchAttributes([
        { key: STATUS, value: status },
        { key: AS_OF, value: asOf },
        { key: TRIGGER, value: trigger },
        { key: TASKS, value: input.tasks ?? DEFAULT_TASKS },
        ...(championChanged !== undefined ? [{ key: CHAMPION_CHANGED, value: championChanged }] : []),
      ]);
    }
  };
  const track = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    progress.runningSteps.push(step);
    try {
      return await fn();
    } finally {
      progress.runningSteps = progress.runningSteps.filter((s) => s !== step);
      progress.completedSteps.push(step);
    }
  };

  setStatus('running');
  const ctx = await bookkeeping.startRun({ workflowId: info.workflowId, runId: info.runId, asOf, trigger, input });
  try {
    progress.stage = 'ingest';
    const ingested = await track('ingest', () => ingest.ingestBars({ runId: ctx.runId, source: ctx.source, asOf }));
    progress.stage = 'regimeLabel';
    const regimes = await track('regimeLabel', () => prepare.labelRegimes({ runId: ctx.runId, feed: ctx.feed, asOf }));

    const runTask = async (task: TaskName): Promise<TaskOutcome> => {
      progress.stage = 'balancedSample';
      const dataset = await track(`balancedSample:${task}`, () => prepare.buildDataset({ runId: ctx.runId, task, feed: ctx.feed, asOf, regimeConfigHash: regimes.configHash }));
      progress.stage = 'train';
      const members = await Promise.all(
        ctx.models.map((kind) => track(`train:${task}:${kind}`, () => training.trainModel({ runId: ctx.runId, task, datasetId: dataset.datasetId, kind }))),
      );
      const models = ctx.meta
        ? [...members, await track(`train:${task}:meta`, () => training.trainMetaLearner({ runId: ctx.runId, task, datasetId: dataset.datasetId, memberIds: members.map((m) => m.modelId) }))]
        : members;
      progress.stage = 'evaluatePerRegime';
      const evaluation = await track(`evaluate:${task}`, () => judging.evaluateModels({ runId: ctx.runId, task, datasetId: dataset.datasetId, modelIds: models.map((m) => m.modelId) }));
      progress.stage = 'monitor';
      const monitor = await track(`monitor:${task}`, () => judging.monitorTask({ runId: ctx.runId, task, datasetId: dataset.datasetId, feed: ctx.feed }));
      progress.stage = 'promotionGate';
      const decision = await track(`promotionGate:${task}`, () => judging.promotionGate({ runId: ctx.runId, task, datasetId: dataset.datasetId }));
      return { dataset, models, evaluation, monitor, decision };
    };
    const outcomes = await Promise.all(ctx.tasks.map(runTask));
    const tasks: Partial<Record<TaskName, TaskOutcome>> = {};
    ctx.tasks.forEach((t, i) => (tasks[t] = outcomes[i]));
    const championChanged = outcomes.some((o) => o.decision.promoted);
    // Drift: optionally start one extra run trained on recent history only. It is a separate,
    // abandoned child (own history, own promotion decision) and never triggers another.
    const flagged = outcomes.flatMap((o) => o.monitor.flaggedFeatures.map((f) => `${o.monitor.task}:${f}`));
    let driftRun: RetrainResult['driftRun'] = null;
    if (ctx.driftRun && flagged.length > 0) {
      const cfg = (input.config ?? {}) as { dataset?: { split?: Record<string, unknown> }; drift?: Record<string, unknown> };
      const child = await startChild(weeklyRetrain, {
        workflowId: `${info.workflowId}-drift`,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowTaskTimeout: '60s',
        args: [
          {
            ...input,
            asOf,
            trigger: 'manual',
            config: { ...cfg, dataset: { ...cfg.dataset, split: { ...cfg.dataset?.split, trainWindowDays: ctx.driftRun.windowDays } }, drift: { ...cfg.drift, retrainOnDrift: false } },
          },
        ],
      });
      driftRun = { workflowId: child.workflowId, flagged };
    }
    const result: RetrainResult = { runId: ctx.runId, asOf, status: 'completed', ingest: ingested, regimes, tasks, championChanged, driftRun };
    await bookkeeping.finishRun({ runId: ctx.runId, status: 'completed', summary: summarize(result) });
    // The report is written last so it shows the finished run; it is auxiliary: a failure to
    // write it is noted in the memo, never turned into a failed retrain.
    progress.stage = 'report';
    const report = await track('report', () => judging.writeReport({ runId: ctx.runId })).catch((e: Error) => ({ path: null, error: e.message }));
    progress.stage = 'completed';
    setStatus('completed', championChanged);
    upsertMemo({
      decisions: Object.fromEntries(outcomes.map((o) => [o.decision.task, { promoted: o.decision.promoted, reason: o.decision.reason, checks: o.decision.checks }])),
      drift: Object.fromEntries(outcomes.map((o) => [o.monitor.task, { flagged: o.monitor.flaggedFeatures, maxPsi: o.monitor.maxPsi }])),
      report: { command: `npm run cli -- runs report ${ctx.runId}`, file: report.path, ...('error' in report ? { error: report.error } : {}) },
    });
    return result;
  } catch (err) {
    const cancelled = isCancellation(err);
    const status = cancelled ? 'cancelled' : 'failed';
    progress.stage = status;
    const cause = (err as { cause?: { message?: string; type?: string } }).cause;
    const message = cause?.message ?? (err as Error).message;
    // Record the outcome even when the run itself is being cancelled.
    await CancellationScope.nonCancellable(() => bookkeeping.finishRun({ runId: ctx.runId, status, error: message, errorType: cause?.type ?? null }));
    setStatus(status);
    throw err;
  }
}

function summarize(r: RetrainResult): Record<string, unknown> {
  return {
    championChanged: r.championChanged,
    rowsIngested: r.ingest.rowsWritten,
    regimes: r.regimes.counts,
    tasks: Object.fromEntries(
      Object.entries(r.tasks).map(([t, o]) => [t, { datasetId: o!.dataset.datasetId, models: o!.models.length, promoted: o!.decision.promoted, reason: o!.decision.reason }]),
    ),
  };
}
