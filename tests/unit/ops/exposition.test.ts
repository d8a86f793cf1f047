import { describe, expect, it } from 'vitest';
import { Family, mergeExpositions } from '../../../src/ops/exposition';

describe('Prometheus exposition', () => {
  it('merges sources family by family: one HELP/TYPE, every sample under it', () => {
    const a = '# HELP temporal_x X\n# TYPE temporal_x counter\ntemporal_x{process="dev"} 1\n# HELP temporal_h H\n# TYPE temporal_h histogram\ntemporal_h_bucket{le="1",process="dev"} 2\ntemporal_h_sum{process="dev"} 0.5\ntemporal_h_count{process="dev"} 2\n';
    const b = '# HELP temporal_x X\n# TYPE temporal_x counter\ntemporal_x{process="dev-trainer-1"} 4\n';
    const merged = mergeExpositions([a, b]);
    expect(merged.match(/# TYPE temporal_x counter/g)).toHaveLength(1);
    const lines = merged.trim().split('\n');
    expect(lines.slice(0, 4)).toEqual(['# HELP temporal_x X', '# TYPE temporal_x counter', 'temporal_x{process="dev"} 1', 'temporal_x{process="dev-trainer-1"} 4']);
    expect(lines).toContain('temporal_h_count{process="dev"} 2');
  });

  it('writes histograms cumulatively and escapes label values', () => {
    const f = new Family('regime_retrain_step_duration_seconds', 'histogram', 'h').histogram({ step: 'fit', task: 'a"b\\c' }, [0.5, 3, 30], [1, 10]);
    const text = f.toString();
    expect(text).toContain('regime_retrain_step_duration_seconds_bucket{step="fit",task="a\\"b\\\\c",le="1"} 1');
    expect(text).toContain('le="10"} 2');
    expect(text).toContain('le="+Inf"} 3');
    expect(text).toContain('regime_retrain_step_duration_seconds_sum{step="fit",task="a\\"b\\\\c"} 33.5');
  });
});
