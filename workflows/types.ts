/**
 * Types that cross the workflow/activity boundary. Only ids, small summaries and metrics
 * travel through workflow history; datasets, fold predictions and models stay in Postgres.
 */
import type { SourceSpec } from '../src/data/sources/types';
import type { TaskName } from '../src/pipeline/tasks';
import type { UniverseSummary } from '../src/data/universe';

export type { TaskName } from '../src/pipeline/tasks';
export type Trigger = 'schedule' | 'manual' | 'backfill';

export interface RetrainInput {
  /** As-of date (YYYY-MM-DD). Omitted by the schedule: derived from the scheduled time. */
  asOf?: string;
  tasks?: TaskName[];
  source?: SourceSpec;
  trigger?: Trigger;
  /** Model kinds to train (default: all registered). */
  models?: string[];
  /** Also evaluate the meta-learner over the members (default true). */
  meta?: boolean;
  /** Free-form overrides validated by the startRun activity (dataset, model params, gate). */
  config?: Record<string, unknown>;
  /** Time zone in which a scheduled time becomes an as-of date. */
  timeZone?: string;
  /** Set by starters that registered the custom search attributes on the namespace. */
  searchAttributes?: boolean;
  /** Registry lineage (set by a backfill); default: `live`, or a lineage of its own when dated before the live champion. */
  lineage?: string;
}

export interface RunContext {
  runId: string;
  asOf: string;
  tasks: TaskName[];
  feed: string;
  source: SourceSpec;
  models: string[];
  meta: boolean;
  seed: number;
  /** The registry lineage this run reads and moves. */
  lineage: string;
  /** Set when drift should start an extra, recent-window run (never for that run itself). */
  driftRun: { windowDays: number } | null;
  /** The worker build id that started the run (absent in runs started by older workers). */
  buildId?: string | null;
  /** Set when a verdict that would move the live champion waits for `approvePromotion` (config `gate.approval: "required"`). */
  approval?: { timeoutMs: number } | null;
  /** Whether the worker has a notification webhook (NOTIFY_WEBHOOK_URL): no `notify` activities otherwise. */
  notify?: boolean;
  /** `dataset.signal.shardSymbols`: a larger signal universe builds its features in shards (absent in runs started before fan-out). */
  shardSymbols?: number;
}

export interface IngestResult {
  feed: string;
  rowsWritten: number;
  symbols: number;
  lastDate: string | null;
  warnings: Record<string, number>;
  /** The run's universe: size and first/last stored date per symbol (for the report). */
  universe?: UniverseSummary;
  /** Rows this ingest left out under `ingest.onBadRow: quarantine` (listQuarantinedBars has them). */
  quarantined?: number;
  /** The bar vintage this ingest created (null: nothing changed). */
  vintage?: number | null;
}

export interface RegimeResult {
  configHash: string;
  days: number;
  counts: Record<string, number>;
}

export interface DatasetResult {
  datasetId: string;
  task: TaskName;
  rows: number;
  symbols: number;
  firstDay: string;
  lastLabelledDay: string;
  classCounts: Record<string, number>;
}

/** One stored feature shard of a large run (its rows stay in Postgres). */
export interface FeatureShardResult {
  shard: number;
  symbols: number;
  rows: number;
}

export interface FoldRef {
  index: number;
  role: 'cv' | 'final' | 'refit';
  train: [string, string];
  test: [string, string] | null;
}

/** What a task's evaluation will fit: every candidate on every fold (plus the final window). */
export interface EvaluationPlan {
  folds: FoldRef[];
  /** `key` names the candidate in activities: a model kind, or `champion` for the champion's configuration when it is not among them. */
  candidates: { key: string; kind: string }[];
  meta: boolean;
  championKey: string | null;
}

export interface FitResult {
  candidate: string;
  fold: number;
  source: 'fitted' | 'reused' | 'repredicted';
  seconds: number;
  /** Iterations restored from a checkpoint after a crash (forests, boosting), else null. */
  resumedFrom: number | null;
}

export interface Verdict {
  /** promote: a new configuration replaces the champion; refresh: the champion's configuration, refitted; keep: champion unchanged; retire: the champion went unproven for gate.retireAfterUnprovenWeeks and was removed; none: no champion (the best baseline answers). */
  action: 'promote' | 'refresh' | 'keep' | 'retire' | 'none';
  reason: string;
  /** One-sided p-value that the selected candidate beats the best baseline, corrected for the number of candidates. */
  pValue: number | null;
}

export interface AssessmentResult {
  task: TaskName;
  primaryMetric: string;
  selected: string | null;
  bestBaseline: string;
  /** Candidates to refit on every labelled row (the selected one, and the champion's configuration when it stays). */
  refit: { candidate: string; members: string[] | null }[];
  verdict: Verdict;
  folds: number;
  fits: { fitted: number; reused: number; repredicted: number };
}

export interface RefitResult {
  candidate: string;
  modelId: string;
  kind: string;
  trainedFrom: string;
  trainedThrough: string;
  seconds: number;
  /** Iterations restored from a checkpoint after a crash, else null. */
  resumedFrom: number | null;
}

export interface MonitorResult {
  task: TaskName;
  flaggedFeatures: string[];
  maxPsi: number | null;
  championRecentAccuracy: number | null;
  replayAdded: number;
  replaySize: number;
}

export interface GateResult {
  task: TaskName;
  lineage: string;
  action: Verdict['action'];
  promoted: boolean;
  challengerId: string | null;
  championId: string | null;
  reason: string;
  pValue: number | null;
  checks: { name: string; passed: boolean | null; detail: string }[];
  /** The model deployed by this decision and its kind (null: nothing moved). */
  deployed?: { modelId: string; kind: string } | null;
  /** The lineage's champion after the decision: its walk-forward primary metric (null: no champion, or not evaluated this run). */
  championMetric?: { name: string; value: number } | null;
  /** The human decision the verdict waited for (config `gate.approval: "required"`), else null. */
  approval?: ApprovalRecord | null;
}

/** The Update `approvePromotion`: a person approves or rejects the pending promotion(s) of a run. */
export interface ApprovalInput {
  decision: 'approve' | 'reject';
  /** Who decides (recorded as the actor of the alias move); required. */
  approver: string;
  /** Why; required. */
  reason: string;
  /** Only this task's pending promotion (default: every pending one). */
  task?: TaskName;
}

export interface ApprovalRecord {
  outcome: 'approved' | 'rejected' | 'timed_out';
  approver: string | null;
  reason: string;
  /** ISO time of the decision (workflow time). */
  at: string;
}

export interface ApprovalResult {
  outcome: 'approved' | 'rejected';
  tasks: TaskName[];
}

/** What a notification is about; the `notify` activity words it (src/notify/message.ts). */
export type NotifyEvent = { workflowId: string; runId: string; asOf: string; lineage: string } & (
  | { kind: 'promotion'; task: TaskName; action: Verdict['action']; model: { modelId: string; kind: string } | null; metric: { name: string; value: number } | null; reason: string; approver: string | null }
  | { kind: 'failure'; error: string; errorType: string | null }
  | { kind: 'drift'; task: TaskName; flagged: string[] }
  | { kind: 'approvalRequested'; task: TaskName; action: Verdict['action']; reason: string; timeoutMs: number }
);

export interface TaskOutcome {
  dataset: DatasetResult;
  assessment: AssessmentResult;
  refits: RefitResult[];
  monitor: MonitorResult;
  decision: GateResult;
}

export interface RetrainResult {
  /** The extra run started because features drifted (config drift.retrainOnDrift). */
  driftRun?: { workflowId: string; flagged: string[] } | null;
  runId: string;
  asOf: string;
  lineage: string;
  status: 'completed';
  ingest: IngestResult;
  regimes: RegimeResult;
  tasks: Partial<Record<TaskName, TaskOutcome>>;
  championChanged: boolean;
}

export interface RetrainProgress {
  stage: string;
  completedSteps: string[];
  runningSteps: string[];
  asOf: string | null;
}
