import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trendPoints, trendTable } from '../../src/reports/runTrend';
import { renderTrendPage } from '../../src/reports/trendPage';
import type { TaskRunRow } from '../../src/store/trendStore';
import { withChromiumPage } from '../helpers/chromium';

const HOSTILE = `<img src=x onerror="window.__pwned=1">"'&`;

/** A run row as the store returns it: a selected challenger `kind` with metrics and a CI against the best baseline. */
function row(i: number, o: { promoted: boolean; verdict: string; selected: string; championKey: string | null; f1: number; flagged: number; status?: string; kindLabel?: string }): TaskRunRow {
  const started = new Date(Date.UTC(2024, 0, 6 + 7 * i, 21));
  const cand = (key: string, f1: number) => ({ key, kind: o.kindLabel ?? key, role: 'candidate', metrics: { all: { accuracy: f1 + 0.1, balanced_accuracy: f1 + 0.05, macro_f1: f1 } }, ci: { vs: 'baseline:majority', diff: f1 - 0.3, ci: [f1 - 0.35, f1 - 0.25] as [number, number], pValue: 0.01 } });
  return {
    runId: `run-${i}`,
    workflowId: `wf-${i}`,
    asOf: `2024-01-${String(6 + 7 * i).padStart(2, '0')}`,
    trigger: 'schedule',
    lineage: 'live',
    status: o.status ?? 'completed',
    startedAt: started,
    finishedAt: new Date(started.getTime() + (600 + 60 * i) * 1000),
    errorType: null,
    decision: { verdict: o.verdict, promoted: o.promoted, reason: 'r', championId: null, challengerId: null },
    assessment: { selected: o.selected, championKey: o.championKey, primaryMetric: 'macro_f1', candidates: [cand(o.selected, o.f1), ...(o.championKey && o.championKey !== o.selected ? [cand(o.championKey, o.f1 - 0.02)] : [])] },
    drift: { flagged: o.flagged, features: 10, maxPsi: 0.3 },
  };
}

const rows = [
  row(0, { promoted: true, verdict: 'promote', selected: 'xgboost', championKey: null, f1: 0.41, flagged: 0 }),
  row(1, { promoted: false, verdict: 'keep', selected: 'mlp', championKey: 'xgboost', f1: 0.44, flagged: 2 }),
  row(2, { promoted: true, verdict: 'promote', selected: 'random_forest', championKey: 'xgboost', f1: 0.47, flagged: 1, kindLabel: HOSTILE }),
];

describe('runs trend', () => {
  it('follows the champion: the promoted configuration, else the incumbent, with its metrics and lead CI', () => {
    const points = trendPoints(rows);
    expect(points.map((p) => p.champion?.key)).toEqual(['xgboost', 'xgboost', 'random_forest']);
    // Run 1 kept xgboost: its metric is xgboost's in that run (f1 - 0.02), not the refused mlp's.
    expect(points[1]!.metrics!.macro_f1).toBeCloseTo(0.42, 10);
    expect(points[1]!.lead).toEqual({ vs: 'baseline:majority', diff: expect.closeTo(0.12, 10), lo: expect.closeTo(0.07, 10), hi: expect.closeTo(0.17, 10), pValue: 0.01 });
    expect(points.map((p) => p.durationSeconds)).toEqual([600, 660, 720]);
    expect(trendTable(points).split('\n')).toHaveLength(4);
  });

  it('renders charts in headless Chromium, every value escaped', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'trend-')), 'trend.html');
    writeFileSync(file, renderTrendPage('signal', HOSTILE, trendPoints(rows)));
    await withChromiumPage(file, async (page) => {
      expect(await page.locator('svg.chart').count()).toBe(4);
      expect(await page.locator('tr.run').count()).toBe(3);
      expect(await page.locator('tr.run.promoted').count()).toBe(2);
      expect(await page.locator('line.promotion').count()).toBe(8); // two promotions on each of the four charts
      // Three runs of three metrics: nine dots on the first chart.
      expect(await page.locator('svg.chart').first().locator('circle').count()).toBe(9);
      // The hostile strings are text, not markup.
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.textContent('h1')).toContain(HOSTILE);
      expect(await page.locator('tr.run').nth(2).textContent()).toContain(HOSTILE);
    });
  }, 60_000);
});
