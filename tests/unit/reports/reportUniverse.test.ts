import { describe, expect, it } from 'vitest';
import { universeSummary, type RunUniverse } from '../../../src/data/universe';
import type { ReportData } from '../../../src/reports/reportData';
import { renderRunReport } from '../../../src/reports/runReport';

const HOSTILE = '<script>alert("x")</script>';
const universe: RunUniverse = {
  marketInputs: ['SPY', 'TLT', 'VIX'],
  signalSymbols: ['AAA', 'BBB', HOSTILE, 'GONE'],
  selection: 'list',
  skipped: [{ name: `"><img src=x onerror=alert(1)>.csv`, reason: 'not a valid symbol <b>' }],
};
const ranges = {
  SPY: { rows: 5000, first: '1993-01-29', last: '2012-06-29' },
  TLT: { rows: 2500, first: '2002-07-30', last: '2012-06-29' },
  VIX: { rows: 5000, first: '1993-01-29', last: '2012-06-29' },
  AAA: { rows: 3000, first: '2000-01-03', last: '2012-06-29' },
  BBB: { rows: 1200, first: '2004-08-19', last: '2009-03-31' },
  [HOSTILE]: { rows: 10, first: '2012-06-15', last: '2012-06-29' },
};

const page = (steps: Partial<ReportData['steps'][number]>[]) =>
  renderRunReport({
    run: { id: 'run-1', workflowId: 'wf-1', asOf: '2012-06-29', trigger: 'manual', lineage: 'live', status: 'completed', startedAt: new Date('2026-01-01T00:00:00Z'), finishedAt: new Date('2026-01-01T00:01:00Z'), error: null } as ReportData['run'],
    steps: steps as ReportData['steps'],
    tasks: [],
  });

describe('the run report lists the universe', () => {
  const ingest = { step: 'ingest', status: 'completed', attempt: 1, startedAt: new Date('2026-01-01T00:00:00Z'), finishedAt: new Date('2026-01-01T00:00:05Z'), summary: { universe: universeSummary(universe, ranges) } };

  it('size and first/last date per signal symbol, the absent ones, the market inputs', () => {
    const html = page([ingest]);
    expect(html).toMatch(/<b id="universe-size">3<\/b> symbols with data/);
    expect(html).toContain('<tr><td>AAA</td><td>3000</td><td>2000-01-03</td><td>2012-06-29</td></tr>');
    expect(html).toContain('<tr><td>BBB</td><td>1200</td><td>2004-08-19</td><td>2009-03-31</td></tr>');
    expect(html).toMatch(/no bar up to as-of: GONE\./);
    expect(html).toContain('<tr><td>TLT</td><td>2500</td><td>2002-07-30</td><td>2012-06-29</td></tr>');
  });

  it('escapes every value: a hostile symbol or file name is shown as text, never markup', () => {
    const html = page([ingest]);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.csv (not a valid symbol &lt;b&gt;)');
  });

  it('says so when the run stopped before ingest recorded it', () => {
    expect(page([{ ...ingest, status: 'failed', summary: null }])).toMatch(/Universe<\/h2><p class="muted">Not recorded/);
  });
});
