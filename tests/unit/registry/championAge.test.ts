import { describe, expect, it } from 'vitest';
import { decidePromotion, DEFAULT_GATE, type Evidence, type LegEvidence } from '../../../src/evaluation/gate';
import { parseRunConfig } from '../../../src/pipeline/runConfig';
import { championAge, unprovenSince, weeksUnproven } from '../../../src/registry/championAge';
import { trendPoints, trendTable } from '../../../src/reports/runTrend';
import type { TaskRunRow } from '../../../src/store/trendStore';

const leg = (name: LegEvidence['name'], p: number): LegEvidence => ({ name, reference: name === 'twin' ? 'its static twin' : 'sixty_forty', unit: 'return', diff: 0, ci: [-0.02, 0.02], pValue: p, pAdjusted: p, n: 4000 });

describe('a champion is not served silently when old or unproven (issue 24 item 3)', () => {
  it('defaults: gate.maxChampionAgeDays 90, gate.retireAfterUnprovenWeeks 13 (null: never)', () => {
    const g = parseRunConfig({ asOf: '2026-02-13' }).config.gate;
    expect(g.maxChampionAgeDays).toBe(90);
    expect(g.retireAfterUnprovenWeeks).toBe(13);
    expect(parseRunConfig({ asOf: '2026-02-13', config: { gate: { retireAfterUnprovenWeeks: null } } }).config.gate.retireAfterUnprovenWeeks).toBeNull();
  });

  it('age from the end of the champion\'s training data to the day it answers for', () => {
    expect(championAge({ trainedThrough: '2015-06-18', effectiveFrom: '2015-06-27', at: '2015-09-16', maxAgeDays: 90 })).toEqual({ since: '2015-06-18', ageDays: 90, maxAgeDays: 90, stale: false });
    expect(championAge({ trainedThrough: '2015-06-18', effectiveFrom: '2015-06-27', at: '2026-02-13', maxAgeDays: 90 })).toMatchObject({ ageDays: 3893, stale: true });
    expect(championAge({ trainedThrough: null, effectiveFrom: '2026-01-01', at: '2026-04-10', maxAgeDays: 90 })).toMatchObject({ since: '2026-01-01', ageDays: 99, stale: true });
  });

  it('a "keep" whose champion no longer proves skill says so; weeks unproven run from the first such decision of the same champion', () => {
    const e: Evidence = {
      task: 'strategy',
      reference: 'sixty_forty',
      selected: { key: 'random_forest', legs: [leg('benchmark', 0.6), leg('twin', 0.7)], finite: true, dsr: 0.3, maxDrawdown: 0.2 },
      candidates: 2,
      champion: { key: 'logistic', sameConfig: false, legs: [leg('benchmark', 0.5), leg('twin', 0.5)], dsr: 0.4, maxDrawdown: 0.2, vsChampion: null },
      championIncomparable: false,
    };
    const d = decidePromotion(e, DEFAULT_GATE);
    expect(d.action).toBe('keep');
    expect(d.championUnproven).toBe(true);
    const proven = decidePromotion({ ...e, champion: { ...e.champion!, legs: [leg('benchmark', 0.01), leg('twin', 0.01)], dsr: 0.99, sameConfig: true } }, DEFAULT_GATE);
    expect(proven.championUnproven).toBeFalsy();
    expect(unprovenSince({ asOf: '2026-02-14', championId: 'm1', previous: null })).toBe('2026-02-14');
    expect(unprovenSince({ asOf: '2026-05-16', championId: 'm1', previous: { championAfter: { modelId: 'm1', unprovenSince: '2026-02-14' } } })).toBe('2026-02-14');
    expect(unprovenSince({ asOf: '2026-05-16', championId: 'm2', previous: { championAfter: { modelId: 'm1', unprovenSince: '2026-02-14' } } })).toBe('2026-05-16');
    expect(weeksUnproven('2026-02-14', '2026-05-16')).toBe(13);
    expect(weeksUnproven('2026-02-14', '2026-05-15')).toBe(12);
  });

  it('the trend shows each run\'s champion age, STALE beyond the limit, and weeks unproven', () => {
    const row = (asOf: string, after: NonNullable<TaskRunRow['decision']>['championAfter']): TaskRunRow => ({
      runId: `r-${asOf}`,
      workflowId: `w-${asOf}`,
      asOf,
      trigger: 'schedule',
      lineage: 'live',
      status: 'completed',
      startedAt: new Date(0),
      finishedAt: new Date(1000),
      errorType: null,
      decision: { verdict: 'keep', promoted: false, reason: 'r', championId: 'm1', challengerId: null, championAfter: after },
      assessment: null,
      drift: { flagged: 0, features: 0, maxPsi: null },
    });
    const pts = trendPoints([
      row('2015-07-04', { modelId: 'm1', since: '2015-06-18', ageDays: 16, maxAgeDays: 90, stale: false, unprovenSince: null, weeksUnproven: null }),
      row('2016-01-02', { modelId: 'm1', since: '2015-06-18', ageDays: 198, maxAgeDays: 90, stale: true, unprovenSince: '2015-12-19', weeksUnproven: 2 }),
    ]);
    expect(pts[1].championAge).toEqual({ ageDays: 198, stale: true, maxAgeDays: 90, weeksUnproven: 2 });
    const lines = trendTable(pts).split('\n');
    expect(lines[0].split('\t').at(-1)).toBe('champion_age');
    expect(lines[1].split('\t').at(-1)).toBe('16d');
    expect(lines[2].split('\t').at(-1)).toBe('198d STALE (max 90), 2w unproven');
  });
});
