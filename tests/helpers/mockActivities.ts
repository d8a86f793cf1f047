import type { createActivities } from '../../activities';
import { msToNumber } from '@temporalio/common';
import type { ApprovalRecord, AssessmentResult, DatasetResult, EvaluationPlan, GateResult, MonitorResult, RefitResult, TaskName } from '../../workflows/types';

type Activities = ReturnType<typeof createActivities>;

/**
 * Every activity as a plain async function returning canned ids and summaries: the workflow's
 * own logic (ordering, branches, failure handling) on the real server in milliseconds.
 * `calls` records each activity call with its input.
 */
export function mockActivities(over: Partial<Activities> & { verdict?: AssessmentResult['verdict']; refit?: AssessmentResult['refit']; flagged?: string[] } = {}) {
  const calls: { name: string; input: unknown }[] = [];
  const rec =
    <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R> | R) =>
    async (...a: A): Promise<R> => {
      calls.push({ name, input: a[0] });
      return fn(...a);
    };
  const plan: EvaluationPlan = {
    folds: [
      { index: 0, role: 'cv', train: ['2000-01-03', '2003-01-01'], test: ['2003-01-20', '2005-01-20'] },
      { index: 1, role: 'final', train: ['2000-01-03', '2005-01-01'], test: ['2005-01-20', '2006-01-20'] },
      { index: 2, role: 'refit', train: ['2000-01-03', '2006-01-20'], test: null },
    ],
    candidates: [
      { key: 'logistic', kind: 'logistic' },
      { key: 'random_forest', kind: 'random_forest' },
    ],
    meta: true,
    championKey: null,
  };
  const verdict = over.verdict ?? { action: 'promote' as const, reason: 'logistic beats label_persistence (p = 0.010): promoted as the first champion', pValue: 0.01 };
  const base: Activities = {
    startRun: rec('startRun', (a: { runId: string; asOf: string; input: { tasks?: TaskName[]; lineage?: string; config?: { drift?: { retrainOnDrift?: boolean }; gate?: { approval?: string; approvalTimeout?: string } } } }) => ({
      runId: a.runId,
      asOf: a.asOf,
      tasks: a.input.tasks ?? ['strategy', 'signal'],
      feed: 'mock',
      source: { kind: 'synthetic' as const },
      models: ['logistic', 'random_forest'],
      meta: true,
      seed: 1,
      lineage: a.input.lineage ?? 'live',
      driftRun: a.input.config?.drift?.retrainOnDrift ? { windowDays: 500 } : null,
      buildId: 'mock-build',
      approval: a.input.config?.gate?.approval === 'required' && (a.input.lineage ?? 'live') === 'live' ? { timeoutMs: msToNumber((a.input.config.gate.approvalTimeout ?? '2 days') as '2 days') } : null,
      notify: true,
    })),
    finishRun: rec('finishRun', () => undefined),
    ingestBars: rec('ingestBars', () => ({ feed: 'mock', rowsWritten: 10, symbols: 3, lastDate: '2006-01-27', warnings: {} })),
    labelRegimes: rec('labelRegimes', () => ({ configHash: 'h', days: 100, counts: { normal: 100 } })),
    buildDataset: rec('buildDataset', (a: { task: TaskName }): DatasetResult => ({ datasetId: `ds-${a.task}`, task: a.task, rows: 100, symbols: 1, firstDay: '2000-01-03', lastLabelledDay: '2006-01-20', classCounts: {} })),
    planEvaluation: rec('planEvaluation', () => plan),
    fitFold: rec('fitFold', (a: { candidate: string; fold: number }) => ({ candidate: a.candidate, fold: a.fold, source: 'fitted' as const, seconds: 0, resumedFrom: null })),
    assessCandidates: rec('assessCandidates', (a: { task: TaskName }): AssessmentResult => ({
      task: a.task,
      primaryMetric: 'macro_f1',
      selected: 'logistic',
      bestBaseline: 'label_persistence',
      refit: over.refit ?? [{ candidate: 'logistic', members: null }],
      verdict,
      folds: 1,
      fits: { fitted: 4, reused: 0, repredicted: 0 },
    })),
    refitCandidate: rec('refitCandidate', (a: { candidate: string }): RefitResult => ({ candidate: a.candidate, modelId: `m-${a.candidate}`, kind: a.candidate, trainedFrom: '2000-01-03', trainedThrough: '2006-01-27', seconds: 0, resumedFrom: null })),
    refitMeta: rec('refitMeta', (): RefitResult => ({ candidate: 'meta', modelId: 'm-meta', kind: 'meta', trainedFrom: '2000-01-03', trainedThrough: '2006-01-27', seconds: 0, resumedFrom: null })),
    monitorTask: rec('monitorTask', (a: { task: TaskName }): MonitorResult => ({ task: a.task, flaggedFeatures: over.flagged ?? [], maxPsi: 0.1, championRecentAccuracy: null, replayAdded: 0, replaySize: 0 })),
    promotionGate: rec('promotionGate', (a: { task: TaskName; refits: { modelId: string }[]; approval?: ApprovalRecord | null }): GateResult => {
      // As the real gate: a verdict that waited for a person moves nothing unless approved.
      const refused = !!a.approval && a.approval.outcome !== 'approved';
      const promoted = !refused && (verdict.action === 'promote' || verdict.action === 'refresh');
      return {
        task: a.task,
        lineage: 'live',
        action: refused ? 'none' : verdict.action,
        promoted,
        challengerId: a.refits[0]?.modelId ?? null,
        championId: null,
        reason: refused ? `${verdict.action} not applied (${a.approval!.reason})` : verdict.reason,
        pValue: verdict.pValue,
        checks: [],
        deployed: promoted ? { modelId: a.refits[0].modelId, kind: 'logistic' } : null,
        championMetric: promoted ? { name: 'macro_f1', value: a.task === 'signal' ? 0.61 : 0.42 } : null,
        approval: a.approval ?? null,
      };
    }),
    notify: rec('notify', () => ({ sent: true })),
    writeReport: rec('writeReport', () => ({ bytes: 10, path: null })),
  } as unknown as Activities;
  const wrapped = Object.fromEntries(Object.entries(over).filter(([k]) => !['verdict', 'refit', 'flagged'].includes(k)).map(([k, fn]) => [k, rec(k, fn as (...a: unknown[]) => unknown)]));
  return { activities: { ...base, ...wrapped } as Activities, calls };
}
