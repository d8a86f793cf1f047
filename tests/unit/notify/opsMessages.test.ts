import { describe, expect, it } from 'vitest';
import { notificationText } from '../../../src/notify/message';
import { retrainMetadata } from '../../../src/temporal/runMetadata';
import { newTaskDetails, renderRunDetails } from '../../../workflows/runDetails';

const about = { workflowId: 'wf-1', runId: 'run-1', asOf: '2026-02-14', lineage: 'live' };

describe('notification texts', () => {
  it('say what happened, to which run, and how to answer an approval request', () => {
    const promo = notificationText({ ...about, kind: 'promotion', task: 'signal', action: 'promote', model: { modelId: 'm1', kind: 'xgboost' }, metric: { name: 'macro_f1', value: 0.41234 }, reason: 'beats majority', approver: 'cli:ann' });
    expect(promo).toBe(':trophy: *signal*: new champion: xgboost `m1`, macro_f1 0.412, approved by cli:ann. beats majority\nrun `wf-1` (as of 2026-02-14, lineage live). Details: `regime-retrain runs show run-1`');
    expect(notificationText({ ...about, kind: 'failure', error: 'VIX.csv row 3', errorType: 'InvalidMarketDataError' })).toMatch(/^:x: \*Retrain failed\* \(InvalidMarketDataError\): VIX\.csv row 3/);
    expect(notificationText({ ...about, kind: 'drift', task: 'strategy', flagged: ['vix_level'] })).toMatch(/strategy\*: 1 feature\(s\) drifted: vix_level/);
    const ask = notificationText({ ...about, kind: 'approvalRequested', task: 'signal', action: 'refresh', reason: 'r', timeoutMs: 2 * 86_400_000 });
    expect(ask).toMatch(/within 2 days/);
    expect(ask).toContain('regime-retrain models approve wf-1 --task signal');
  });
});

describe('run details (Markdown for the Temporal UI)', () => {
  it('one table row per task that a reason with pipes and newlines cannot break', () => {
    const signal = { ...newTaskDetails(), stage: 'promotionGate', fits: { done: 6, total: 6 }, refits: { done: 1, total: 1 }, drift: [], verdict: { action: 'promote' as const, reason: 'a | b\nc', pValue: 0.01 } };
    const md = renderRunDetails({ stage: 'promotionGate', asOf: '2026-02-14', lineage: 'live', buildId: '0.1.0+abc', workflowId: 'wf', tasks: { signal } });
    const rows = md.split('\n').filter((l) => l.startsWith('| signal'));
    expect(rows).toEqual(['| signal | promotionGate | 6/6 fits, 1/1 refits | none | **promote** (p = 0.010): a \\| b c | – |']);
  });
});

describe('static metadata', () => {
  it('summarises a scheduled run without an as-of', () => {
    const m = retrainMetadata({ tasks: ['strategy'], source: { kind: 'csv', dir: '/data' } }, { scheduled: true });
    expect(m.staticSummary).toBe('Weekly retrain as of the scheduled Saturday · strategy · schedule');
    expect(m.staticDetails).toContain('| source | CSV folder `/data` |');
  });
});
