import { describe, expect, it } from 'vitest';
import type { ModelJSON } from '../../../src/models/classifier';
import { nativeStatus, selectedEngine, type EngineKind } from '../../../src/models/trm/engine/kernels';
import { lossAndGradient } from '../../../src/models/trm/engine/lossGradient';
import { TrmEngine } from '../../../src/models/trm/engine/trmEngine';
import { Trm } from '../../../src/models/trm/trm';
import { DEFAULT_TRM_LOSS } from '../../../src/models/trm/trmLoss';
import { initialValues, PARAM_NAMES } from '../../../src/models/trm/trmNetwork';
import { Rng } from '../../../src/util/rng';
import { nonlinearProblem } from '../../helpers/problems';
import { relErr } from '../../helpers/floatAgreement';

// The native engine (native/trm_native.c) against the WebAssembly one: the same model on both.
// Where the addon is not built these tests are skipped, unless TRM_ENGINE=native asks for it
// (CI does), in which case they fail.
const haveNative = nativeStatus().available || process.env.TRM_ENGINE === 'native';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('engine selection', () => {
  it('TRM_ENGINE forces an engine and rejects anything else', () => {
    expect(selectedEngine({ TRM_ENGINE: 'wasm' })).toBe('wasm');
    expect(() => selectedEngine({ TRM_ENGINE: 'gpu' })).toThrow(/TRM_ENGINE must be native or wasm, got "gpu"/);
    if (nativeStatus().available) {
      expect(selectedEngine({})).toBe(nativeStatus().isa === 'sse2' ? 'wasm' : 'native');
      expect(selectedEngine({ TRM_ENGINE: 'native' })).toBe('native');
    } else {
      expect(selectedEngine({})).toBe('wasm');
      expect(() => selectedEngine({ TRM_ENGINE: 'native' })).toThrow(/TRM_ENGINE=native, but the native TRM engine is/);
    }
  });
});

describe.skipIf(!haveNative)('native and WebAssembly engines', () => {
  // Widths that need padding (hidden 20 -> 24, inner 40), a row count that is not a multiple of
  // any register block, and a width with a whole AVX-512 double panel (hidden 64, inner 128).
  for (const { hidden, rows } of [
    { hidden: 20, rows: 37 },
    { hidden: 64, rows: 29 },
  ]) {
    it(`one supervision step forward and backward agree in float32 (hidden ${hidden}, ${rows} rows)`, () => {
      const D = 7;
      const K = 3;
      const shape = { inputDim: D, classes: K, hidden, ffn: 2 * hidden, n: 3, T: 2 };
      const init = initialValues(D, K, { hidden, mlpRatio: 2, n: 3, T: 2 }, 5);
      const rng = new Rng(6);
      for (const k of PARAM_NAMES) for (let i = 0; i < init.params[k].values.length; i++) init.params[k].values[i] += 0.2 * rng.normal();
      const x = Float32Array.from({ length: rows * D }, () => rng.normal());
      const t = {
        labels: Int32Array.from({ length: rows }, () => rng.int(K)),
        weights: Float32Array.from({ length: rows }, () => 0.5 + rng.next()),
        labelWeights: Float32Array.from({ length: rows }, () => 0.5 + rng.next()),
        pnl: Float32Array.from({ length: rows * K }, () => 0.05 * rng.normal()),
      };
      const run = (kind: EngineKind) => {
        const e = new TrmEngine(shape, 64, true, kind);
        e.setParams(init.params);
        e.x.set(x);
        e.startRows(rows, init.y0, init.z0);
        e.supervisionStep(true);
        const head = Float32Array.from(e.head.subarray(0, rows * e.Kh));
        lossAndGradient(e.head, e.dhead, e.Kh, K, Int32Array.from({ length: rows }, (_, r) => r), t, DEFAULT_TRM_LOSS);
        e.backward();
        return { head, y: Float32Array.from(e.y.subarray(0, rows * e.Hp)), grads: e.paramValues(e.grads), name: e.engineName };
      };
      const nat = run('native');
      const wasm = run('wasm');
      expect(nat.name).toMatch(/^native-(avx512|avx2|sse2)$/);
      expect(wasm.name).toBe('wasm-simd');
      expect(relErr(nat.head, wasm.head)).toBeLessThan(1e-5);
      expect(relErr(nat.y, wasm.y)).toBeLessThan(1e-5);
      for (const k of PARAM_NAMES) expect(relErr(nat.grads[k].values, wasm.grads[k].values), `gradient of ${k}`).toBeLessThan(1e-4);
    });
  }

  const train = nonlinearProblem(900, 31);
  const test = nonlinearProblem(300, 32);
  const cfg = { hidden: 24, mlpRatio: 2, n: 2, T: 2, nSup: 3, epochs: 4, batchSize: 128, learningRate: 3e-3, warmupSteps: 10, patience: 0 };

  async function fitOn(kind: EngineKind, opts: { resumeFrom?: ModelJSON; keepAt?: number; params?: Partial<typeof cfg> & Record<string, unknown> } = {}) {
    const m = new Trm({ ...cfg, ...opts.params }, { engine: kind });
    let checkpoint: ModelJSON | null = null;
    const report = await m.fit(train.X, train.y, undefined, {
      nClasses: 3,
      seed: 9,
      resumeFrom: opts.resumeFrom ?? null,
      onCheckpoint: async (state, epoch) => {
        if (epoch === opts.keepAt) checkpoint = JSON.parse(JSON.stringify(state())) as ModelJSON;
      },
    });
    return { m, report, checkpoint: checkpoint as ModelJSON | null, proba: m.predictProba(test.X) };
  }

  it('the same fit on both engines predicts the same within float32 tolerance, and names its engine', async () => {
    const nat = await fitOn('native');
    const wasm = await fitOn('wasm');
    expect(nat.m.backend).toMatch(/^native-/);
    expect(wasm.m.backend).toBe('wasm-simd');
    expect(maxAbsDiff(nat.proba, wasm.proba)).toBeLessThan(2e-3);
    expect(nat.report.history!.at(-1)!.loss).toBeCloseTo(wasm.report.history!.at(-1)!.loss, 3);
  });

  it('a checkpoint resumes exactly on its own engine and within float32 tolerance on the other', async () => {
    for (const [from, to] of [
      ['native', 'wasm'],
      ['wasm', 'native'],
    ] as const) {
      const whole = await fitOn(from, { keepAt: 2 });
      expect(whole.checkpoint, 'a checkpoint after epoch 2').not.toBeNull();
      expect((whole.checkpoint!.training as { epoch: number }).epoch).toBe(2);
      const same = await fitOn(from, { resumeFrom: whole.checkpoint! });
      expect(same.report.resumedFrom).toBe(2);
      expect(same.report.history).toHaveLength(4);
      expect(Array.from(same.proba)).toEqual(Array.from(whole.proba));
      const other = await fitOn(to, { resumeFrom: whole.checkpoint! });
      expect(other.report.resumedFrom).toBe(2);
      expect(other.report.notes!.some((n) => n.includes(`written on ${whole.m.backend}`))).toBe(true);
      expect(maxAbsDiff(other.proba, whole.proba)).toBeLessThan(2e-3);
      // The resumed run really continued from epoch 2: a fresh fit for 2 epochs differs.
      const short = await fitOn(to, { params: { epochs: 2 } });
      expect(maxAbsDiff(short.proba, whole.proba)).toBeGreaterThan(1e-2);
    }
  });

  it('a checkpoint of another configuration is refused', async () => {
    const whole = await fitOn('native', { keepAt: 1 });
    await expect(fitOn('native', { resumeFrom: whole.checkpoint!, params: { hidden: 32 } })).rejects.toThrow(/checkpoint does not match this model/);
  });

  it('GrokFast changes training, resumes exactly, and is off by default', async () => {
    expect(new Trm().cfg.grokfastAlpha).toBe(0);
    const plain = await fitOn('native');
    const whole = await fitOn('native', { keepAt: 2, params: { grokfastAlpha: 0.98 } });
    expect(maxAbsDiff(whole.proba, plain.proba)).toBeGreaterThan(1e-3);
    const resumed = await fitOn('native', { resumeFrom: whole.checkpoint!, params: { grokfastAlpha: 0.98 } });
    expect(Array.from(resumed.proba)).toEqual(Array.from(whole.proba));
    expect(() => new Trm({ grokfastAlpha: 1 })).toThrow(/grokfastAlpha must be in \[0, 1\)/);
  });

  it('native engine memory is laid out once per fit and stays flat across epochs', async () => {
    const m = new Trm({ ...cfg, epochs: 6 }, { engine: 'native' });
    const bytes: number[] = [];
    const external: number[] = [];
    const before = TrmEngine.constructed;
    await m.fit(train.X, train.y, undefined, {
      nClasses: 3,
      seed: 2,
      onProgress: (p) => {
        bytes.push(m.trainingMemoryBytes);
        if (p.step % 8 === 0) external.push(process.memoryUsage().arrayBuffers);
      },
    });
    expect(TrmEngine.constructed - before).toBe(1);
    expect(bytes[0]).toBeGreaterThan(0);
    expect(new Set(bytes).size).toBe(1);
    // ArrayBuffer memory (the engine's block is one) does not grow with the epochs.
    expect(Math.max(...external) - external[0]).toBeLessThan(4 * 1024 * 1024);
  });
});
