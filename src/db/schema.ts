/**
 * The single source of truth for tables. Migrations in migrations/ are generated from this
 * file by drizzle-kit (`npm run db:generate`) and applied by `npm run migrate`.
 *
 * Every table written by an activity has a natural key (run + step, run + task + kind, ...)
 * so that a retried activity upserts instead of duplicating rows.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/** Raw bytes (dataset matrices, model artifacts). */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** Which bar: feed, symbol, date (shared by the bar tables). */
const barKey = () => ({
  feed: text('feed').notNull(),
  symbol: text('symbol').notNull(),
  date: date('date', { mode: 'string' }).notNull(),
});

/** A bar's values (shared by the current bars and their previous versions). */
const barValues = () => ({
  open: doublePrecision('open'),
  high: doublePrecision('high').notNull(),
  low: doublePrecision('low').notNull(),
  close: doublePrecision('close').notNull(),
  adjClose: doublePrecision('adj_close'),
  volume: doublePrecision('volume'),
  /**
   * Cash distribution per share going ex on this day (0: none) where the source's distribution
   * record covers the day; null where it does not (the leg is price-only there). Stored with
   * the bar, so it is versioned with the bars' vintage.
   */
  dividend: doublePrecision('dividend'),
});

/**
 * Daily bars. `feed` keeps sources apart (the synthetic market's "SPY" must never be mixed
 * with the real SPY), so the key is (feed, symbol, date).
 */
export const marketBars = pgTable(
  'market_bars',
  {
    ...barKey(),
    ...barValues(),
    ingestedAt: timestamp('ingested_at', { withTimezone: true }).notNull().defaultNow(),
    /** The bar_vintages id that wrote these values (0: stored before vintages existed). */
    vintage: integer('vintage').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.feed, t.symbol, t.date] }), index('market_bars_feed_date').on(t.feed, t.date)],
);

/**
 * One row per ingest that changed stored bars. Ids only grow, so "the bars as of vintage V"
 * is well defined: a dataset that records V can be rebuilt exactly after later re-adjustments.
 */
export const barVintages = pgTable('bar_vintages', {
  id: serial('id').primaryKey(),
  feed: text('feed').notNull(),
  /** ingest (new or corrected rows) | readjust (a series' history re-adjusted after a split or dividend) */
  kind: text('kind').notNull(),
  /** Symbols written, and for a re-adjustment the corporate actions behind it. */
  detail: jsonb('detail').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Previous versions of bars that a later vintage changed (a re-adjustment after a split, a
 * corrected file): the values held from `vintage` until `superseded_by`.
 */
export const marketBarsHistory = pgTable(
  'market_bars_history',
  {
    ...barKey(),
    vintage: integer('vintage').notNull(),
    supersededBy: integer('superseded_by').notNull(),
    ...barValues(),
    ingestedAt: timestamp('ingested_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.feed, t.symbol, t.date, t.vintage] })],
);

/**
 * Bad rows left out by an ingest under `--on-bad-row quarantine` (high < low, a non-positive
 * price, an unexplained jump), with where they were and what they held. Keyed by
 * (feed, symbol, date) so re-ingesting the same file does not duplicate them.
 */
export const quarantinedBars = pgTable(
  'quarantined_bars',
  {
    ...barKey(),
    file: text('file').notNull(),
    row: integer('row').notNull(),
    field: text('field').notNull(),
    reason: text('reason').notNull(),
    raw: jsonb('raw').notNull(),
    quarantinedAt: timestamp('quarantined_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.feed, t.symbol, t.date] })],
);

/**
 * The cash-rate series of a feed (FRED DTB3 or the like: annualised percent per observation
 * date, null = no observation that day). Backtests and strategy labels earn it on cash.
 */
export const cashRates = pgTable(
  'cash_rates',
  {
    feed: text('feed').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    seriesId: text('series_id').notNull(),
    ratePct: doublePrecision('rate_pct'),
    file: text('file').notNull(),
    ingestedAt: timestamp('ingested_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.feed, t.date] })],
);

/** One row per pipeline execution (a Temporal workflow run). */
export const runs = pgTable(
  'runs',
  {
    id: text('id').primaryKey(), // Temporal run id
    workflowId: text('workflow_id').notNull(),
    trigger: text('trigger').notNull(), // schedule | manual | backfill
    asOf: date('as_of', { mode: 'string' }).notNull(),
    tasks: jsonb('tasks').$type<string[]>().notNull(),
    input: jsonb('input').notNull(),
    status: text('status').notNull(), // running | completed | failed | cancelled
    stage: text('stage').notNull().default('starting'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    error: text('error'),
    errorType: text('error_type'),
    summary: jsonb('summary'),
    /** `live`, or the lineage of a backfill / an as-of earlier than the live champion's. */
    lineage: text('lineage').notNull().default('live'),
    /** The code version (worker build id) that started the run; null before it was recorded. */
    buildId: text('build_id'),
  },
  (t) => [index('runs_workflow_id').on(t.workflowId), index('runs_as_of').on(t.asOf)],
);

/** One row per activity (step) of a run; the key makes retries update, not duplicate. */
export const runSteps = pgTable(
  'run_steps',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    step: text('step').notNull(),
    status: text('status').notNull(), // running | completed | failed
    attempt: integer('attempt').notNull().default(1),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    summary: jsonb('summary'),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.step] })],
);

/**
 * A large run's signal universe cut into shards (the plan, written once per run and task) and
 * each shard's pass-1 result once built: per-symbol float32 rows in 32 MB chunks. Deleted when
 * the run's dataset is assembled from them.
 */
export const featureShards = pgTable(
  'feature_shards',
  {
    runId: text('run_id').notNull(),
    task: text('task').notNull(),
    shard: integer('shard').notNull(),
    symbols: jsonb('symbols').$type<string[]>().notNull(),
    builtAt: timestamp('built_at', { withTimezone: true }),
    /** The bar vintage the shard's read reflected (the dataset records the newest of all reads). */
    vintage: integer('vintage'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.task, t.shard] })],
);

export const featureShardChunks = pgTable(
  'feature_shard_chunks',
  {
    runId: text('run_id').notNull(),
    task: text('task').notNull(),
    shard: integer('shard').notNull(),
    seq: integer('seq').notNull(),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.task, t.shard, t.seq] }),
    foreignKey({ columns: [t.runId, t.task, t.shard], foreignColumns: [featureShards.runId, featureShards.task, featureShards.shard] }).onDelete('cascade'),
  ],
);

/** Regime label per trading day; pure function of past data, keyed by the labeler config. */
export const regimeLabels = pgTable(
  'regime_labels',
  {
    feed: text('feed').notNull(),
    configHash: text('config_hash').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    regime: text('regime').notNull(),
    vix: doublePrecision('vix').notNull(),
    drawdown: doublePrecision('drawdown').notNull(),
  },
  (t) => [primaryKey({ columns: [t.feed, t.configHash, t.date] })],
);

/** A training/validation/test dataset built for one run and task; matrices live in `payload`. */
export const datasets = pgTable(
  'datasets',
  {
    id: text('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    task: text('task').notNull(),
    feed: text('feed').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    /** Latest bar date read while building; must never exceed as_of. */
    maxBarDate: date('max_bar_date', { mode: 'string' }).notNull(),
    featureNames: jsonb('feature_names').$type<string[]>().notNull(),
    classNames: jsonb('class_names').$type<string[]>().notNull(),
    sampleCounts: jsonb('sample_counts').notNull(), // per split and regime
    summary: jsonb('summary').notNull(), // achieved vs target mix, class distribution, split dates
    payload: bytea('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('datasets_run_task').on(t.runId, t.task)],
);

/**
 * A dataset's payload in pieces of at most 32 MB: a large universe's dataset is hundreds of
 * megabytes, past what one bytea value (and one JS string of its hex form) can carry.
 */
export const datasetChunks = pgTable(
  'dataset_chunks',
  {
    datasetId: text('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.seq] })],
);

/**
 * Model registry: every stored model with its artifact and the point in time it stands for.
 * Roles: `candidate` (a kind's model trained up to the final evaluation window), `refit` (the
 * selected configuration retrained on every labelled row up to as-of: what gets deployed),
 * `refit_member` (a member refitted for a deployed meta-learner).
 */
export const models = pgTable(
  'models',
  {
    id: text('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    datasetId: text('dataset_id').notNull(),
    task: text('task').notNull(),
    kind: text('kind').notNull(),
    feed: text('feed'),
    role: text('role').notNull().default('candidate'),
    /** Identifies the configuration (kind, params, dataset config): same hash, same recipe. */
    candidateHash: text('candidate_hash'),
    asOf: date('as_of', { mode: 'string' }),
    trainedFrom: date('trained_from', { mode: 'string' }),
    /** Last day of the newest label window the model was trained on. */
    trainedThrough: date('trained_through', { mode: 'string' }),
    params: jsonb('params').notNull(),
    artifact: bytea('artifact').notNull(),
    artifactSha256: text('artifact_sha256').notNull(),
    trainSummary: jsonb('train_summary').notNull(),
    /** The code version (worker build id) that trained it: which code made a model. */
    buildId: text('build_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('models_run').on(t.runId), index('models_task_kind').on(t.task, t.kind)],
);

/**
 * Cached walk-forward fits: a model trained on one window and its out-of-sample predictions.
 * The key hashes the configuration and the exact training rows (content, not dates), so a
 * later run reuses a fit only when nothing it depends on changed; predictions are recomputed
 * from the artifact when the evaluation window grew.
 */
export const foldResults = pgTable(
  'fold_results',
  {
    key: text('key').primaryKey(),
    task: text('task').notNull(),
    feed: text('feed').notNull(),
    kind: text('kind').notNull(),
    candidateHash: text('candidate_hash').notNull(),
    trainFrom: date('train_from', { mode: 'string' }).notNull(),
    trainTo: date('train_to', { mode: 'string' }).notNull(),
    testFrom: date('test_from', { mode: 'string' }),
    testTo: date('test_to', { mode: 'string' }),
    /** Hash of the evaluation rows the stored predictions belong to. */
    testRowsHash: text('test_rows_hash'),
    artifact: bytea('artifact').notNull(),
    /** Float32 rows x classes probabilities for the evaluation rows. */
    proba: bytea('proba'),
    summary: jsonb('summary').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp('used_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('fold_results_task_feed').on(t.task, t.feed, t.candidateHash)],
);

/** Every configuration ever evaluated per task and feed: the trial count of the deflated Sharpe ratio. */
export const candidateTrials = pgTable(
  'candidate_trials',
  {
    task: text('task').notNull(),
    feed: text('feed').notNull(),
    candidateHash: text('candidate_hash').notNull(),
    kind: text('kind').notNull(),
    /** Latest information ratio of its walk-forward daily value over the declared reference (the deflated information ratio's trials). */
    activeIr: doublePrecision('active_ir'),
    firstRunId: text('first_run_id').notNull(),
    lastRunId: text('last_run_id').notNull(),
    firstSeen: timestamp('first_seen', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.task, t.feed, t.candidateHash] })],
);

/** Evaluation metrics; regime 'all' is the overall number. */
export const metrics = pgTable(
  'metrics',
  {
    modelId: text('model_id').notNull(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    split: text('split').notNull(), // validation | test
    regime: text('regime').notNull(),
    name: text('name').notNull(),
    value: doublePrecision('value'), // null = "no samples"
  },
  (t) => [primaryKey({ columns: [t.modelId, t.runId, t.split, t.regime, t.name] })],
);

/**
 * Point-in-time aliases: (task, feed, lineage, alias) -> model, effective from an as-of date.
 * Lineage `live` is what `predict` serves; a backfill keeps its own lineage, so replaying past
 * weeks never moves today's champion.
 */
export const modelAliases = pgTable(
  'model_aliases',
  {
    task: text('task').notNull(),
    feed: text('feed').notNull().default(''),
    lineage: text('lineage').notNull().default('live'),
    alias: text('alias').notNull(), // champion | challenger
    modelId: text('model_id').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }),
    since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
    runId: text('run_id'),
  },
  (t) => [primaryKey({ columns: [t.task, t.feed, t.lineage, t.alias] })],
);

/** Audit log of alias moves (gate promotions, manual promote/rollback); also the point-in-time history. */
export const aliasEvents = pgTable(
  'alias_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    task: text('task').notNull(),
    feed: text('feed').notNull().default(''),
    lineage: text('lineage').notNull().default('live'),
    alias: text('alias').notNull(),
    /** null: the alias was cleared from `effective_from` on (a champion retired to the reference). */
    modelId: text('model_id'),
    previousModelId: text('previous_model_id'),
    effectiveFrom: date('effective_from', { mode: 'string' }),
    actor: text('actor').notNull(), // workflow:<runId> | cli:<user>
    reason: text('reason').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('alias_events_lookup').on(t.task, t.feed, t.lineage, t.alias)],
);

/** The promotion gate's decision per run and task, with every check's numbers. */
export const promotionDecisions = pgTable(
  'promotion_decisions',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    task: text('task').notNull(),
    challengerId: text('challenger_id'),
    championId: text('champion_id'),
    promoted: boolean('promoted').notNull(),
    lineage: text('lineage').notNull().default('live'),
    /** promote | refresh | keep | retire | none: what the decision did to the lineage's champion. */
    verdict: text('verdict').notNull().default('none'),
    checks: jsonb('checks').notNull(),
    /** p-values, CIs, DSR, PBO, candidates count, baselines: the evidence behind the verdict. */
    stats: jsonb('stats'),
    reason: text('reason').notNull(),
    /** With `gate.approval: "required"`: { outcome: approved | rejected | timed_out, approver, reason, at }. */
    approval: jsonb('approval'),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.runId, t.task] })],
);

/** Per-model evaluation details for reports: confusion matrices per regime, equity curves. */
export const evaluations = pgTable(
  'evaluations',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    task: text('task').notNull(),
    modelId: text('model_id').notNull(),
    detail: jsonb('detail').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.task, t.modelId] })],
);

/** Population stability index per feature: the newest days vs the history before them, with its calibrated threshold. */
export const drift = pgTable(
  'drift',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    task: text('task').notNull(),
    feature: text('feature').notNull(),
    psi: doublePrecision('psi').notNull(),
    flagged: boolean('flagged').notNull(),
    /** The feature's own threshold: a high quantile of its PSIs over same-length past windows. */
    threshold: doublePrecision('threshold'),
    status: text('status').notNull().default('ok'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.task, t.feature] })],
);

/**
 * Error replay buffer: days (and symbols) the champion got wrong recently. The next run mixes
 * those rows, when they fall in its training window, into the training sample with a weight.
 */
export const replayBuffer = pgTable(
  'replay_buffer',
  {
    task: text('task').notNull(),
    feed: text('feed').notNull(),
    day: integer('day').notNull(), // yyyymmdd
    symbol: text('symbol').notNull(),
    runId: text('run_id').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.task, t.feed, t.day, t.symbol] }), index('replay_added').on(t.task, t.feed, t.addedAt)],
);

/** The self-contained HTML report of a run (also written under REPORTS_DIR when set). */
export const runReports = pgTable('run_reports', {
  runId: text('run_id')
    .primaryKey()
    .references(() => runs.id, { onDelete: 'cascade' }),
  html: text('html').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Training checkpoints (a partial model every few trees or rounds), keyed by run and step, so
 * an activity retried after a worker crash resumes where its last heartbeat left off. Deleted
 * when the model is stored.
 */
export const trainCheckpoints = pgTable(
  'train_checkpoints',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    step: text('step').notNull(),
    iteration: integer('iteration').notNull(),
    state: bytea('state').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.step] })],
);

/**
 * Placebo audits (`audit placebo --record`): how often the selection protocol promoted a
 * candidate trained on block-permuted labels. A run report shows the newest audit of its task
 * and feed beside the verdict, so a reader sees how often "promoted" would have been noise.
 */
export const placeboAudits = pgTable(
  'placebo_audits',
  {
    id: text('id').primaryKey(),
    task: text('task').notNull(),
    feed: text('feed').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    trials: integer('trials').notNull(),
    promotions: integer('promotions').notNull(),
    ciLow: doublePrecision('ci_low').notNull(),
    ciHigh: doublePrecision('ci_high').notNull(),
    /** How the null was made: 'rotation' (targets shifted circularly by >= minShiftDays) or 'block_permutation' (older audits). */
    method: text('method').notNull().default('rotation'),
    minShiftDays: integer('min_shift_days'),
    /** Block length of a block-permutation audit (older audits only). */
    block: integer('block'),
    /** Share of trials whose uncorrected p-value was <= alpha (uniform when the null sits on the boundary). */
    shareBelowAlpha: doublePrecision('share_below_alpha'),
    models: jsonb('models').$type<string[]>().notNull(),
    gate: jsonb('gate').notNull(),
    results: jsonb('results').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('placebo_audits_task_feed').on(t.task, t.feed, t.createdAt)],
);
