import { randomUUID } from 'node:crypto';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { reportHtml } from '../../src/cli/reportCommand';
import { loadReportData } from '../../src/reports/reportData';
import { renderRunReport } from '../../src/reports/runReport';
import { aliasEvents, datasets, drift, models, promotionDecisions, runSteps, runs } from '../../src/db/schema';
import { predictWithChampion } from '../../src/predict/predict';
import { getAlias, promoteModel, rollbackChampion } from '../../src/store/aliasStore';
import { latestPlaceboAudit } from '../../src/store/placeboAuditStore';
import { startRetrain } from '../../src/temporal/startRetrain';
import type { DevServer } from '../../src/temporal/devServer';
import type { RetrainResult } from '../../workflows/types';
import { progressQuery } from '../../workflows';
import type { TestDb } from '../helpers/postgres';
import { startTestStack, type TestStack } from '../helpers/stack';
import { fastInput, tinyInput } from '../helpers/fastConfig';

const run = promisify(execFile);

describe('weeklyRetrain end to end (real Temporal dev server + real Postgres)', () => {
  let server: DevServer;
  let db: TestDb;
  let stack: TestStack;
  let first: RetrainResult;
  let placebo: RetrainResult;
  let firstWorkflowId: string;
  const taskQueue = `retrain-${randomUUID()}`;
  const live = (task: string) => ({ task, feed: 'synthetic-11-planted-0.03', lineage: 'live' });
  // Another planted market whose every target is rotated a year or more against its features: the null, on the boundary.
  const placeboFeed = 'synthetic-12-planted-0.03';
  const placeboInput = () => {
    const base = fastInput();
    const cfg = base.config as { dataset: Record<string, unknown> };
    return fastInput({ source: { kind: 'synthetic', seed: 12, planted: 0.03 }, config: { ...base.config, dataset: { ...cfg.dataset, placebo: { seed: 3 } } } });
  };
  const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', resolve('src/cli/main.ts'), ...args], { env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' } });

  beforeAll(async () => {
    stack = await startTestStack(taskQueue);
    ({ server, db } = stack);
    firstWorkflowId = `test-retrain-${randomUUID()}`;
    const handle = await startRetrain(server.env.client, { taskQueue, workflowId: firstWorkflowId, input: fastInput({ searchAttributes: true }) });
    first = await handle.result();
    placebo = await (await startRetrain(server.env.client, { taskQueue, workflowId: `test-placebo-${randomUUID()}`, input: placeboInput() })).result();
  }, 900_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs every stage for both tasks and records the steps, reading nothing after as-of', async () => {
    expect(first).toMatchObject({ asOf: '2014-06-30', status: 'completed', lineage: 'live' });
    expect(Object.keys(first.tasks).sort()).toEqual(['signal', 'strategy']);
    const progress = await server.env.client.workflow.getHandle(firstWorkflowId).query(progressQuery);
    expect(progress.stage).toBe('completed');
    const steps = await db.db.select().from(runSteps).where(eq(runSteps.runId, first.runId));
    const names = steps.map((s) => s.step);
    for (const n of ['ingest', 'regimeLabel', 'balancedSample:signal', 'plan:signal', 'fit:signal:random_forest:0', 'evaluate:signal', 'monitor:signal', 'promotionGate:signal', 'report']) expect(names, n).toContain(n);
    // The refit is of whichever configuration was selected.
    expect(names.some((n) => n.startsWith('refit:signal:'))).toBe(true);
    expect(steps.every((s) => s.status === 'completed')).toBe(true);
    const ds = await db.db.select({ maxBarDate: datasets.maxBarDate }).from(datasets).where(eq(datasets.runId, first.runId));
    expect(ds).toHaveLength(2);
    for (const d of ds) expect(d.maxBarDate <= '2014-06-30').toBe(true);
    const [row] = await db.db.select().from(runs).where(eq(runs.id, first.runId));
    expect(row).toMatchObject({ status: 'completed', trigger: 'manual', lineage: 'live' });
  });

  it('promotes a provable edge (signal) with its evidence, and deploys its refit, fresh to as-of', async () => {
    const sig = first.tasks.signal!;
    expect(sig.decision).toMatchObject({ action: 'promote', promoted: true, lineage: 'live' });
    expect(sig.decision.pValue!).toBeLessThanOrEqual(0.05);
    expect(sig.decision.reason).toMatch(/beats flat and its static twin \(p = /);
    const champion = await getAlias(db.db, live('signal'), 'champion');
    const refit = sig.refits.find((r) => r.candidate === sig.assessment.selected)!;
    expect(champion).toMatchObject({ modelId: refit.modelId, effectiveFrom: '2014-06-30' });
    // Trained on every labelled row up to as-of: the newest label window ends on the last bar.
    expect(refit.trainedThrough <= '2014-06-30' && refit.trainedThrough >= '2014-06-26').toBe(true);
    const decisions = await db.db.select().from(promotionDecisions).where(eq(promotionDecisions.runId, first.runId));
    expect(decisions.map((x) => x.verdict).sort()).toEqual(['promote', 'promote']);
    const stats = decisions.find((x) => x.task === 'signal')!.stats as { legs: { name: string; ci: number[]; pAdjusted: number; n: number }[]; candidates: number; pbo: unknown; bootstrap: { resamples: number } };
    expect(stats.candidates).toBe(3); // two kinds and the walk-forward meta-learner
    expect(stats.legs.map((l) => l.name)).toEqual(['long_short', 'twin']);
    for (const l of stats.legs) {
      expect(l.ci).toHaveLength(2);
      expect(l.pAdjusted).toBeLessThanOrEqual(0.05);
      expect(l.n).toBeGreaterThan(500);
    }
    expect(stats.bootstrap.resamples).toBe(300);
  });

  it('promotes the planted edge on the strategy task too: it beats 60/40 and its own static twin, after costs', () => {
    const d = first.tasks.strategy!.decision;
    expect(d).toMatchObject({ action: 'promote', promoted: true });
    expect(d.reason).toMatch(/beats sixty_forty and its static twin \(p = /);
  });

  it('refuses the placebo (targets rotated a year or more against the features) on both tasks, naming the reference and the p-value', () => {
    for (const task of ['strategy', 'signal'] as const) {
      const d = placebo.tasks[task]!.decision;
      expect(d.promoted, task).toBe(false);
      expect(d.action, task).toBe('none');
      expect(d.reason, task).toMatch(task === 'strategy' ? /beats_(benchmark|static_twin) \(\w+ net return over (sixty_forty|its static twin): .*p = [0-9.<> ]+ corrected for 3 candidates/ : /(long_short_beats_baseline|beats_static_twin) \(\w+ (long-short|net) return over (flat|its static twin): .*p = [0-9.<> ]+ corrected for 3 candidates/);
    }
  });

  it('keeps only ids and small summaries in workflow history; memo and search attributes are set', async () => {
    const handle = server.env.client.workflow.getHandle(firstWorkflowId);
    const desc = await handle.describe();
    expect(desc.memo?.status).toBe('completed');
    expect((desc.memo?.report as { command: string }).command).toBe(`npm run cli -- runs report ${first.runId}`);
    expect(desc.memo?.decisions).toHaveProperty('signal');
    const history = await handle.fetchHistory();
    const biggest = Math.max(...(history.events ?? []).map((e) => JSON.stringify(e).length));
    expect(biggest).toBeLessThan(256 * 1024);
  });

  it('a second run of the same as-of reuses every fold and decides the same way (a refresh of the champion)', async () => {
    const again = await (await startRetrain(server.env.client, { taskQueue, workflowId: `test-again-${randomUUID()}`, input: fastInput({ tasks: ['signal'] }) })).result();
    const a = again.tasks.signal!;
    expect(a.assessment.fits.fitted).toBe(0);
    expect(a.assessment.fits.reused).toBeGreaterThan(0);
    expect(a.assessment.selected).toBe(first.tasks.signal!.assessment.selected);
    expect(a.decision.pValue).toBe(first.tasks.signal!.decision.pValue);
    expect(a.decision.action).toBe('refresh');
    expect((await getAlias(db.db, live('signal'), 'champion'))!.modelId).toBe(a.refits[0].modelId);
  }, 300_000);

  it('predicts with the live champion and says which model it is; with no champion, the declared reference answers exactly as it was scored, labelled', async () => {
    const [p] = await predictWithChampion(db.db, { task: 'signal', asOf: '2014-06-30' });
    expect(p.as_of).toBe('2014-06-30');
    expect(Object.keys(p.probabilities)).toEqual(['sell', 'hold', 'buy']);
    expect(Object.values(p.probabilities).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 6);
    expect(p.model_metadata).toMatchObject({ is_baseline: false, lineage: 'live', effective_from: '2014-06-30' });
    expect(p.model_metadata.trained_through! <= '2014-06-30').toBe(true);
    // The day before the champion's as-of, it was not live yet (and no earlier model or decision existed).
    await expect(predictWithChampion(db.db, { task: 'signal', asOf: '2014-06-27' })).rejects.toThrow(/no champion for task signal .* live at 2014-06-27/);
    const [s] = await predictWithChampion(db.db, { task: 'strategy', feed: placeboFeed });
    expect(s.model_metadata).toMatchObject({ is_baseline: true, model_id: null, kind: 'baseline:sixty_forty' });
    // 60/40 is not one of the allocations: it is answered by its weights, as the benchmark was scored.
    expect(s).toMatchObject({ strategy_id: -1, strategy_name: 'sixty_forty', allocation: { SPY: 0.6, TLT: 0.4, cash: expect.closeTo(0, 12) } });
    const flat = await predictWithChampion(db.db, { task: 'signal', feed: placeboFeed });
    expect(flat).toHaveLength(4);
    for (const p of flat) expect(p).toMatchObject({ strategy_name: 'hold', confidence: 1, allocation: null, model_metadata: { is_baseline: true, kind: 'baseline:flat' } });
  });

  it('models show / models list keep their JSON contract', async () => {
    const shown = JSON.parse((await cli('models', 'show', '--task', 'signal', '--json')).stdout);
    for (const k of ['modelId', 'kind', 'task', 'feed', 'asOf', 'effectiveFrom', 'trainedFrom', 'trainedThrough', 'runId']) expect(shown, k).toHaveProperty(k);
    expect(shown.effectiveFrom).toBe('2014-06-30');
    const none = await cli('models', 'show', '--task', 'strategy', '--feed', placeboFeed, '--json').then(() => null, (e: { code: number; stderr: string }) => e);
    expect(none?.code).toBe(1);
    expect(none?.stderr).toMatch(/no champion for task strategy/);
    const listed = JSON.parse((await cli('models', 'list', '--task', 'signal', '--run', first.runId, '--json')).stdout) as { role: string; trainedThrough: string }[];
    expect(new Set(listed.map((m) => m.role))).toEqual(new Set(['candidate', 'refit']));
    expect(listed.every((m) => typeof m.trainedThrough === 'string')).toBe(true);
  }, 120_000);

  it('predict --stream emits one prediction per interval until Ctrl-C', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('src/cli/main.ts'), 'predict', '--task', 'signal', '--stream', '--interval', '1'], {
      env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const lines = () => out.split('\n').filter((l) => l.startsWith('{"timestamp"'));
    const deadline = Date.now() + 60_000;
    while (new Set(lines().map((l) => JSON.parse(l).timestamp)).size < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('exit', (c) => r(c)));
    expect(new Set(lines().map((l) => JSON.parse(l).timestamp)).size).toBeGreaterThanOrEqual(2);
    expect(code).toBe(0);
  });

  it('manual promote and rollback move the live champion and are audited', async () => {
    const current = (await getAlias(db.db, live('signal'), 'champion'))!.modelId;
    const other = (await db.db.select().from(models).where(eq(models.task, 'signal'))).find((m) => m.id !== current && m.role === 'candidate')!;
    await promoteModel(db.db, { modelId: other.id, actor: 'cli:test', reason: 'try it' });
    expect((await getAlias(db.db, live('signal'), 'champion'))!.modelId).toBe(other.id);
    const back = await rollbackChampion(db.db, { ...live('signal'), actor: 'cli:test', reason: 'undo' });
    expect(back).toEqual({ from: other.id, to: current });
    const events = await db.db.select().from(aliasEvents).where(eq(aliasEvents.actor, 'cli:test'));
    expect(events.map((e) => e.reason)).toEqual(['try it', 'undo']);
  });

  it('the run report renders in headless Chromium and leads with the verdict and its evidence', async () => {
    const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
    if (!chromiumPath) {
      if (process.env.CI) throw new Error('Chromium is required in CI (apt-get install chromium)');
      console.warn('report browser test skipped: no Chromium');
      return;
    }
    const { html } = await reportHtml(db.db, first.runId);
    const file = join(mkdtempSync(join(tmpdir(), 'report-')), 'report.html');
    writeFileSync(file, html);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href);
      expect(errors).toEqual([]);
      expect(await page.textContent('#decision-signal')).toMatch(/^PROMOTED: .* beats .* \(p = /);
      expect(await page.textContent('#decision-strategy')).toMatch(/^PROMOTED: .* beats sixty_forty and its static twin \(p = /);
      const body = (await page.textContent('body'))!;
      for (const s of ['Evidence: candidates and baselines', 'corrected for 3 candidates', 'vs its static twin', 'long-short vs flat', 'Walk-forward backtest', 'Per symbol and sector', 'trained through', 'purge 2 days', 'each decision held one session']) expect(body, s).toContain(s);
      const { html: refused } = await reportHtml(db.db, placebo.runId);
      await page.setContent(refused);
      expect(await page.textContent('#decision-strategy')).toMatch(/^NO CHAMPION: no candidate proves skill/);
      expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(4);
    } finally {
      await browser.close();
    }
  });

  it('audit placebo --record keeps its JSON contract, and the run report shows the newest audit of its task and feed', async () => {
    // What the report activity renders (a run's stored report is the snapshot it rendered then).
    const render = async () => renderRunReport(await loadReportData(db.db, first.runId));
    const before = await render();
    expect(before).toContain('placebo audit: none recorded for this task and feed');
    const { config } = fastInput();
    const { stdout } = await cli('audit', 'placebo', '--task', 'signal', '--source', 'synthetic', '--seed', '11', '--planted', '0.03', '--as-of', '2014-06-30', '--models', 'logistic', '--trials', '2', '--config', JSON.stringify(config), '--record', '--json');
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ trials: 2, task: 'signal', asOf: '2014-06-30' });
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['trials', 'promotions', 'falsePromotionRate', 'falsePromotionRateCi95', 'gate', 'results', 'pValues', 'shareBelowAlpha']));
    expect(out.results).toHaveLength(2);
    expect(out.pValues).toHaveLength(2);
    for (const p of out.pValues) expect(p).toBeGreaterThan(0);
    const after = await render();
    expect(after).toMatch(new RegExp(`placebo audit \\([0-9-]+, as of 2014-06-30, 1 model kinds\\): ${out.promotions} of 2 runs with targets rotated in time by at least 252 days promoted`));
    expect(after).toContain(`uncorrected p <= alpha in ${(out.shareBelowAlpha * 100).toFixed(1)}% of trials`);
    // The stored audit says how its null was made (migration 0009), not a block length.
    const stored = await latestPlaceboAudit(db.db, 'signal', 'synthetic-11-planted-0.03');
    expect(stored).toMatchObject({ method: 'rotation', minShiftDays: 252, block: null, shareBelowAlpha: out.shareBelowAlpha });
  }, 300_000);

  it('drift can start one extra run trained on recent history only, in a lineage of its own', async () => {
    const input = tinyInput({ asOf: '2012-06-30', config: { ...tinyInput().config, drift: { percentile: 0.5, retrainOnDrift: true, retrainWindowDays: 800 } } });
    const parent = await (await startRetrain(server.env.client, { taskQueue, workflowId: `test-drift-${randomUUID()}`, input })).result();
    expect(parent.driftRun?.flagged.length).toBeGreaterThan(0);
    const child = (await server.env.client.workflow.getHandle(parent.driftRun!.workflowId).result()) as RetrainResult;
    expect(child.asOf).toBe(parent.asOf);
    expect(child.driftRun).toBeNull(); // never a chain of drift runs
    expect(child.lineage).toBe(`drift:${parent.driftRun!.workflowId.replace(/-drift$/, '')}`);
    expect(child.tasks.strategy!.refits[0].trainedFrom > parent.tasks.strategy!.refits[0].trainedFrom).toBe(true);
    const flagged = await db.db.select().from(drift).where(eq(drift.runId, parent.runId));
    expect(flagged.length).toBe(10);
  }, 300_000);
});
