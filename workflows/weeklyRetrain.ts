import {
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  startChild,
  defineQuery,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { ErrorTypes } from '../src/errors';
import { DEFAULT_TASKS, type TaskName } from '../src/pipeline/tasks';
import { steps } from '../src/pipeline/steps';
import { dateInZone, isIsoDate } from '../src/util/dates';
import { ApprovalDesk } from './approval';
import { newTaskDetails, renderRunDetails, type RunDetails } from './runDetails';
import { AS_OF, BUILD_ID, CHAMPION_CHANGED, CHAMPION_METRIC, LINEAGE, PROMOTED_KINDS, SCHEDULED_START_TIME, STATUS, TASKS, TRIGGER } from './searchAttributes';
import type { ApprovalRecord, NotifyEvent, RetrainInput, RetrainProgress, RetrainResult, TaskOutcome, Trigger } from './types';

type Activities = ReturnType<typeof createActivities>;

/** Bad input never gets better by retrying. */
const NON_RETRYABLE: string[] = Object.values(ErrorTypes);
const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8, nonRetryableErrorTypes: NON_RETRYABLE };

// Each activity is listed once, beside the timeouts it runs under.
const { startRun, finishRun } = proxyActivities<Activities>({ startToCloseTimeout: '2m', retry });
const { ingestBars } = proxyActivities<Activities>({ startToCloseTimeout: '30m', heartbeatTimeout: '2m', retry });
const { labelRegimes, buildDataset, planEvaluation, planFeatureShards, buildFeatureShard } = proxyActivities<Activities>({ startToCloseTimeout: '20m', heartbeatTimeout: '2m', retry });
// Training heartbeats at least every few seconds (per tree / round / batch, sent at most every
// 2 s): a 30 s heartbeat timeout notices a dead worker quickly and the retry resumes from the
// last checkpoint. Cancellation reaches the activity with the next heartbeat.
const { fitFold, refitCandidate, refitMeta } = proxyActivities<Activities>({ startToCloseTimeout: '3h', heartbeatTimeout: '30s', retry });
const { assessCandidates, monitorTask, promotionGate, writeReport } = proxyActivities<Activities>({ startToCloseTimeout: '20m', heartbeatTimeout: '2m', retry });
// A webhook that is down for a while is retried for about ten minutes, then given up: a
// notification is never worth failing a retrain for.
const { notify } = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 8 } });

/**
 * Runs started before search attributes for the champion, approvals and notifications existed
 * replay without them (a worker with WORKER_VERSIONING=off may pick up such a run after a deploy).
 */
export const OPS_PATCH = 'ops-visibility-approval-notify';

export const progressQuery = defineQuery<RetrainProgress>('progress');

/** Saturday 21:00 New York is Sunday in UTC: the as-of date is the local calendar date. */
function resolveAsOf(input: RetrainInput): string {
  if (input.asOf !== undefined) {
    if (!isIsoDate(input.asOf)) throw ApplicationFailure.nonRetryable(`asOf "${input.asOf}" is not a YYYY-MM-DD date`, ErrorTypes.InvalidConfig);
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
 * The weekly retrain, per task: ingest -> regimeLabel -> dataset -> purged walk-forward
 * evaluation (every candidate x fold an activity, reused when nothing changed) -> assessment
 * against baselines and the champion -> refit of the selected configuration on every labelled
 * row -> monitoring -> promotion gate in the run's lineage.
 */
export async function weeklyRetrain(input: RetrainInput = {}): Promise<RetrainResult> {
  const info = workflowInfo();
  const ops = patched(OPS_PATCH);
  const progress: RetrainProgress = { stage: 'starting', completedSteps: [], runningSteps: [], asOf: null };
  setHandler(progressQuery, () => progress);
  const desk = new ApprovalDesk();
  const asOf = resolveAsOf(input);
  progress.asOf = asOf;
  const trigger = input.trigger ?? inferTrigger();
  // Live details for the UI (Markdown; not a command, so free to change between versions).
  const details: RunDetails = { stage: 'starting', asOf, lineage: null, buildId: null, workflowId: info.workflowId, tasks: {} };
  const showDetails = () => setCurrentDetails(renderRunDetails({ ...details, stage: progress.stage }));
  showDetails();
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
    showDetails();
    try {
      return await fn();
    } finally {
      progress.runningSteps = progress.runningSteps.filter((s) => s !== step);
      progress.completedSteps.push(step);
      showDetails();
    }
  };

  setStatus('running');
  const ctx = await startRun({ workflowId: info.workflowId, runId: info.runId, asOf, trigger, input });
  details.lineage = ctx.lineage;
  details.buildId = ctx.buildId ?? null;
  for (const t of ctx.tasks) details.tasks[t] = newTaskDetails();
  if (ops && input.searchAttributes) upsertSearchAttributes([{ key: LINEAGE, value: ctx.lineage }, ...(ctx.buildId ? [{ key: BUILD_ID, value: ctx.buildId }] : [])]);
  const about = { workflowId: info.workflowId, runId: ctx.runId, asOf, lineage: ctx.lineage };
  // Notifications are auxiliary: a webhook that stays down is logged, never a failed run.
  const tell = async (event: NotifyEvent) => {
    if (!ops || !ctx.notify) return;
    await notify(event).catch((e: Error) => log.warn('notification given up', { kind: event.kind, error: e.message }));
  };
  try {
    progress.stage = 'ingest';
    const ingested = await track(steps.ingest, () => ingestBars({ runId: ctx.runId, source: ctx.source, asOf }));
    progress.stage = 'regimeLabel';
    const regimes = await track(steps.regimeLabel, () => labelRegimes({ runId: ctx.runId, feed: ctx.feed, asOf }));

    const runTask = async (task: TaskName): Promise<TaskOutcome> => {
      const ref = { runId: ctx.runId, task };
      const shown = details.tasks[task]!;
      const stage = (s: RetrainProgress['stage']) => {
        progress.stage = s;
        shown.stage = s;
        showDetails();
      };
      stage('balancedSample');
      const dataArgs = { ...ref, feed: ctx.feed, asOf, regimeConfigHash: regimes.configHash };
      // A signal universe larger than shardSymbols fans its per-symbol features out over
      // parallel activities (ids in, ids out); smaller runs keep their one-activity history.
      const fanOut = task === 'signal' && (ingested.universe?.size ?? 0) > (ctx.shardSymbols ?? Infinity) && patched('feature-shards');
      if (fanOut) {
        const { shards } = await track(steps.featurePlan(task), () => planFeatureShards(dataArgs));
        await Promise.all(Array.from({ length: shards }, (_, shard) => track(steps.featureShard(task, shard), () => buildFeatureShard({ ...dataArgs, shard }))));
      }
      const dataset = await track(steps.dataset(task), () => buildDataset(fanOut ? { ...dataArgs, sharded: true } : dataArgs));
      const at = { ...ref, datasetId: dataset.datasetId };
      const plan = await track(steps.plan(task), () => planEvaluation(at));
      stage('train');
      const evaluated = plan.folds.filter((f) => f.role !== 'refit');
      shown.fits.total = plan.candidates.length * evaluated.length;
      const counted = async <T>(n: { done: number }, p: Promise<T>): Promise<T> => {
        const r = await p;
        n.done++;
        showDetails();
        return r;
      };
      await Promise.all(plan.candidates.flatMap((c) => evaluated.map((f) => counted(shown.fits, track(steps.fit(task, c.key, f.index), () => fitFold({ ...at, candidate: c.key, fold: f.index }))))));
      stage('evaluatePerRegime');
      const assessment = await track(steps.assess(task), () => assessCandidates(at));
      shown.verdict = { action: assessment.verdict.action, reason: assessment.verdict.reason, pValue: assessment.verdict.pValue };
      stage('refit');
      shown.refits.total = assessment.refit.reduce((n, r) => n + (r.members ? r.members.length + 1 : 1), 0);
      const refits = await Promise.all(
        assessment.refit.map(async (r) => {
          if (!r.members) return counted(shown.refits, track(steps.refit(task, r.candidate), () => refitCandidate({ ...at, candidate: r.candidate })));
          await Promise.all(r.members.map((m) => counted(shown.refits, track(steps.refit(task, m), () => refitCandidate({ ...at, candidate: m, asMember: true })))));
          return counted(shown.refits, track(steps.refitMeta(task), () => refitMeta({ ...at, members: r.members! })));
        }),
      );
      stage('monitor');
      const monitor = await track(steps.monitor(task), () => monitorTask({ ...at, feed: ctx.feed }));
      shown.drift = monitor.flaggedFeatures;
      if (monitor.flaggedFeatures.length > 0) await tell({ ...about, kind: 'drift', task, flagged: monitor.flaggedFeatures });
      // A verdict that would move the live champion waits for a person when the config asks.
      let approval: ApprovalRecord | null = null;
      const v = assessment.verdict;
      if (ops && ctx.approval && (v.action === 'promote' || v.action === 'refresh')) {
        stage('awaitingApproval');
        shown.approval = { until: new Date(new Date().getTime() + ctx.approval.timeoutMs).toISOString() };
        showDetails();
        await tell({ ...about, kind: 'approvalRequested', task, action: v.action, reason: v.reason, timeoutMs: ctx.approval.timeoutMs });
        approval = await desk.wait(task, ctx.approval.timeoutMs);
        shown.approval = approval;
      }
      stage('promotionGate');
      const gate = { ...at, refits: refits.map((r) => ({ candidate: r.candidate, modelId: r.modelId })) };
      const decision = await track(steps.gate(task), () => promotionGate(approval ? { ...gate, approval } : gate));
      shown.verdict = { action: decision.action, reason: decision.reason, pValue: decision.pValue };
      showDetails();
      if (decision.promoted) await tell({ ...about, kind: 'promotion', task, action: decision.action, model: decision.deployed ?? null, metric: decision.championMetric ?? null, reason: decision.reason, approver: approval?.approver ?? null });
      return { dataset, assessment, refits, monitor, decision };
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
        staticSummary: `Drift retrain as of ${asOf}: ${flagged.length} feature(s) drifted in ${info.workflowId}`,
        args: [
          {
            ...input,
            asOf,
            trigger: 'manual',
            lineage: `drift:${info.workflowId}`,
            config: { ...cfg, dataset: { ...cfg.dataset, split: { ...cfg.dataset?.split, trainWindowDays: ctx.driftRun.windowDays } }, drift: { ...cfg.drift, retrainOnDrift: false } },
          },
        ],
      });
      driftRun = { workflowId: child.workflowId, flagged };
    }
    const result: RetrainResult = { runId: ctx.runId, asOf, lineage: ctx.lineage, status: 'completed', ingest: ingested, regimes, tasks, championChanged, driftRun };
    await finishRun({ runId: ctx.runId, status: 'completed', summary: summarize(result) });
    // The report is written last so it shows the finished run; it is auxiliary: a failure to
    // write it is noted in the memo, never turned into a failed retrain.
    progress.stage = 'report';
    const report = await track(steps.report, () => writeReport({ runId: ctx.runId })).catch((e: Error) => ({ path: null, error: e.message }));
    progress.stage = 'completed';
    setStatus('completed', championChanged);
    if (ops && input.searchAttributes) {
      const metrics = outcomes.flatMap((o) => (o.decision.championMetric ? [{ key: CHAMPION_METRIC[o.decision.task], value: o.decision.championMetric.value }] : []));
      const kinds = [...new Set(outcomes.flatMap((o) => (o.decision.deployed ? [o.decision.deployed.kind] : [])))];
      const pairs = [...metrics, ...(kinds.length ? [{ key: PROMOTED_KINDS, value: kinds }] : [])];
      if (pairs.length > 0) upsertSearchAttributes(pairs);
    }
    showDetails();
    upsertMemo({
      lineage: ctx.lineage,
      decisions: Object.fromEntries(outcomes.map((o) => [o.decision.task, { action: o.decision.action, promoted: o.decision.promoted, reason: o.decision.reason, pValue: o.decision.pValue }])),
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
    await CancellationScope.nonCancellable(async () => {
      await finishRun({ runId: ctx.runId, status, error: message, errorType: cause?.type ?? null });
      if (!cancelled) await tell({ ...about, kind: 'failure', error: message, errorType: cause?.type ?? null });
    });
    setStatus(status);
    showDetails();
    throw err;
  }
}

function summarize(r: RetrainResult): Record<string, unknown> {
  return {
    championChanged: r.championChanged,
    lineage: r.lineage,
    rowsIngested: r.ingest.rowsWritten,
    regimes: r.regimes.counts,
    tasks: Object.fromEntries(
      Object.entries(r.tasks).map(([t, o]) => [
        t,
        {
          datasetId: o!.dataset.datasetId,
          folds: o!.assessment.folds,
          fits: o!.assessment.fits,
          selected: o!.assessment.selected,
          action: o!.decision.action,
          promoted: o!.decision.promoted,
          pValue: o!.decision.pValue,
          reason: o!.decision.reason,
        },
      ]),
    ),
  };
}
