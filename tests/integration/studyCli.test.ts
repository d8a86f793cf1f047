import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGIMES } from '../../src/regimes/regimes';
import { withChromiumPage } from '../helpers/chromium';

const ARMS = ['plain', 'weights', 'balanced', 'archive', 'uniqueness', 'default', 'cadence:weekly', 'cadence:quarterly', 'cadence:once'];

describe('study: the CLI contract', () => {
  it('prints every arm with per-regime n, CIs against its references, fits and verdicts; --html draws them', async () => {
    const html = join(mkdtempSync(join(tmpdir(), 'study-')), 'study.html');
    const r = spawnSync(
      process.execPath,
      [resolve('bin/regime-retrain.mjs'), 'study', '--task', 'strategy', '--source', 'synthetic', '--seed', '5', '--as-of', '2011-06-30', '--from', '2009-01-02', '--arms', ARMS.join(','), '--models', 'logistic', '--config', '{"gate":{"bootstrapReps":200}}', '--json', '--html', html],
      { encoding: 'utf8', timeout: 540_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(Object.keys(d)).toEqual(expect.arrayContaining(['task', 'asOf', 'from', 'arms', 'verdicts']));
    expect(d).toMatchObject({ task: 'strategy', asOf: '2011-06-30', from: '2009-01-02' });
    expect(d.arms.map((a: { name: string }) => a.name)).toEqual(ARMS);
    for (const a of d.arms) {
      expect(a.kind).toBe(a.name.startsWith('cadence:') ? 'cadence' : 'training');
      expect(a.metrics.all.n).toBeGreaterThan(0);
      for (const reg of REGIMES) expect(typeof a.metrics.byRegime[reg].n).toBe('number');
      expect(a.value.legs.map((l: { name: string }) => l.name)).toEqual(['benchmark', 'twin']);
      for (const l of a.value.legs) expect(l.n).toBeGreaterThan(0);
      expect(a.fits.trained + a.fits.reused).toBeGreaterThan(0);
      expect(a.equity).toBeUndefined();
      const refs = a.vsReferences.map((c: { reference: string }) => c.reference);
      if (a.kind === 'training') expect(refs).toEqual(['plain', 'default'].filter((x) => x !== a.name));
      else expect(refs).toEqual(a.name === 'cadence:weekly' ? [] : ['cadence:weekly']);
      if (a.name === 'cadence:weekly') expect(a.vsReference).toBeNull();
      else {
        expect(Object.keys(a.vsReference)).toEqual(expect.arrayContaining(['reference', 'diff', 'ci95', 'pValue', 'n', 'byRegime']));
        expect(a.vsReference.reference).toBe(refs[0]);
        expect(a.vsReference.ci95[0]).toBeLessThanOrEqual(a.vsReference.ci95[1]);
        for (const reg of REGIMES) expect(typeof a.vsReference.byRegime[reg].n).toBe('number');
        expect(a.vsReference.n).toBeGreaterThan(100);
      }
    }
    const arm = (n: string) => d.arms.find((a: { name: string }) => a.name === n);
    // The natural sample keeps every strategy row: the archive trains exactly like plain and reuses its fits.
    expect(arm('archive').fits.trained).toBe(0);
    expect(arm('default').fits.trained).toBeGreaterThan(0);
    // Coarser cadences retrain on weekly days: nothing is refitted.
    expect(arm('cadence:quarterly').fits.trained).toBe(0);
    expect(arm('cadence:once').fits).toEqual({ trained: 0, reused: 1 });
    expect(d.verdicts.length).toBeGreaterThan(3);
    expect(d.verdicts.every((v: unknown) => typeof v === 'string')).toBe(true);
    expect(d.verdicts.some((v: string) => /^Regime weights vs plain: net return [+−]\d.*\(95% CI .*, n [\d,]+ days\): (helps|hurts|not shown to help)$/.test(v))).toBe(true);

    const weights = arm('weights').vsReference;
    const checked = await withChromiumPage(html, async (page) => {
      const bars = await page.$$eval('rect.ci-bar', (els) => els.map((e) => ({ arm: e.getAttribute('data-arm'), regime: e.getAttribute('data-regime'), diff: Number(e.getAttribute('data-diff')), n: Number(e.getAttribute('data-n')), w: Number(e.getAttribute('width')) })));
      const all = bars.find((b) => b.arm === 'weights vs plain' && b.regime === 'all')!;
      expect(all.diff).toBeCloseTo(weights.diff, 12);
      expect(all.n).toBe(weights.n);
      expect(bars.filter((b) => b.arm === 'weights vs plain').length).toBeGreaterThan(2);
      expect(await page.$$eval('figure.equity svg path', (els) => els.length)).toBeGreaterThanOrEqual(6);
      expect(await page.$$eval('#verdicts li', (els) => els.length)).toBe(d.verdicts.length);
      expect(await page.$$eval('#arms tbody tr', (els) => els.length)).toBe(ARMS.length);
    });
    if (!checked) expect(readFileSync(html, 'utf8')).toMatch(/class="ci-bar"/);
  }, 600_000);

  it('refuses unknown arms and cadence arms without --from', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [resolve('bin/regime-retrain.mjs'), 'study', '--task', 'strategy', '--as-of', '2011-06-30', ...args], { encoding: 'utf8', timeout: 120_000 });
    const bad = run('--arms', 'plain,weekly');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown arm\(s\) weekly/);
    const noFrom = run('--arms', 'cadence:weekly', '--models', 'logistic');
    expect(noFrom.status).not.toBe(0);
    expect(noFrom.stderr).toMatch(/need --from/);
  }, 240_000);
});
