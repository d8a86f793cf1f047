import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { realDataDir } from '../../helpers/realData';

describe('finding the shared real data (tests/helpers/realData.ts)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('takes MARKET_DATA_DIR / RATES_DATA_DIR first, a folder holding SPY.csv / DTB3.csv', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rr-realdata-'));
    try {
      writeFileSync(join(dir, 'SPY.csv'), 'date,open,high,low,close,adj_close,volume\n');
      writeFileSync(join(dir, 'DTB3.csv'), 'observation_date,DTB3\n');
      vi.stubEnv('MARKET_DATA_DIR', dir);
      vi.stubEnv('RATES_DATA_DIR', dir);
      expect(realDataDir('market')).toBe(dir);
      expect(realDataDir('rates')).toBe(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is null without the data, saying so, so that a suite can skip outside CI', () => {
    vi.stubEnv('CI', '');
    vi.stubEnv('MARKET_DATA_DIR', '/nonexistent/market');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(realDataDir('market')).toBeNull();
    vi.stubEnv('RATES_DATA_DIR', '/nonexistent/rates');
    expect(realDataDir('rates')).toBeNull();
    expect(warn.mock.calls.flat().join('\n')).toMatch(/DTB3\.csv under RATES_DATA_DIR=\/nonexistent\/rates; set RATES_DATA_DIR/);
  });

  it('fails under CI=true instead, so CI never passes by skipping', () => {
    vi.stubEnv('CI', 'true');
    vi.stubEnv('MARKET_DATA_DIR', '/nonexistent/market');
    expect(() => realDataDir('market')).toThrow(/the real market corpus not found \(SPY\.csv under MARKET_DATA_DIR=\/nonexistent\/market; set MARKET_DATA_DIR\): required under CI/);
  });
});
