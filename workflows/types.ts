/**
 * Types that cross the workflow/activity boundary. Only ids, small summaries and metrics
 * travel through workflow history; datasets and models stay in Postgres, passed by id.
 */
import type { SourceSpec } from '../src/data/sources/types';
import type { UniverseSummary } from '../src/data/universe';

export type Trigger = 'schedule' | 'manual' | 'backfill';
export type TaskName = 'strategy' | 'signal';

export interface RetrainInput {
  /** As-of date (YYYY-MM-DD). Omitted by the schedule: derived from the scheduled time. */
  asOf?: string;
  tasks?: TaskName[];
  source?: SourceSpec;
  trigger?: Trigger;
  /** Model kinds to train (default: all registered). */
  models?: string[];
  /** Also train the meta-learner over the members (default true). */
  meta?: boolean;
  /** Free-form overrides validated by the startRun activity (dataset, model params, gate). */
  config?: Record<string, unknown>;
  /** Time zone in which a scheduled time becomes an as-of date. */
  timeZone?: string;
  /** Set by starters that registered the custom search attributes on the namespace. */
  searchAttributes?: boolean;
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
  /** Set when drift should start an extra, recent-window run (never for that run itself). */
  driftRun: { windowDays: number } | null;
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
  trainSample: number;
  replayRows: number;
  splitDates: { train: [string, string]; validation: [string, string]; test: [string, string] };
  classCounts: Record<string, number>;
  mix: { regime: string; target: number; achieved: number; available: number; note?: string }[];
}

export interface TrainResult {
  modelId: string;
  kind: string;
  task: TaskName;
  seconds: number;
  validationAccuracy: number | null;
}

export interface ModelEvaluation {
  modelId: string;
  kind: string;
  role: 'challenger' | 'champion';
  validation: { primary: number | null; accuracy: number | null };
  test: { primary: number | null; accuracy: number | null; crash: number | null; recovery: number | null };
  /** Strategy task: following the predicted allocation over the test window, after costs. */
  backtest?: { cagr: number; sharpe: number; maxDrawdown: number; hitRate: number };
}

export interface EvaluateResult {
  task: TaskName;
  primaryMetric: string;
  evaluations: ModelEvaluation[];
  championId: string | null;
  /** Strategy task: buy-and-hold SPY and always-the-majority-strategy over the same window. */
  benchmarks?: Record<string, { cagr: number; sharpe: number; maxDrawdown: number; hitRate: number }>;
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
  promoted: boolean;
  challengerId: string | null;
  championId: string | null;
  reason: string;
  checks: { name: string; passed: boolean; detail: string }[];
}

export interface TaskOutcome {
  dataset: DatasetResult;
  models: TrainResult[];
  evaluation: EvaluateResult;
  monitor: MonitorResult;
  decision: GateResult;
}

export interface RetrainResult {
  /** The extra run started because features drifted (config drift.retrainOnDrift). */
  driftRun?: { workflowId: string; flagged: string[] } | null;
  runId: string;
  asOf: string;
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

export const DEFAULT_TASKS: TaskName[] = ['strategy', 'signal'];
