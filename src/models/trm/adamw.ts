export interface AdamWConfig {
  learningRate: number;
  weightDecay: number;
  warmupSteps: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/**
 * AdamW (decoupled weight decay, Loshchilov & Hutter) with linear warm-up, over the engine's
 * flat parameter block. Decay applies to matrices only (`matrixRanges`), never to biases or
 * norm gains.
 */
export class AdamW {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private readonly decays: Uint8Array;
  steps = 0;

  constructor(
    size: number,
    matrixRanges: [number, number][],
    private readonly cfg: AdamWConfig,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
    this.decays = new Uint8Array(size);
    for (const [a, b] of matrixRanges) this.decays.fill(1, a, b);
  }

  currentLearningRate(): number {
    const warm = this.cfg.warmupSteps > 0 ? Math.min(1, (this.steps + 1) / this.cfg.warmupSteps) : 1;
    return this.cfg.learningRate * warm;
  }

  /** Moments and step count, for a checkpoint (copies). */
  state(): { m: Float32Array; v: Float32Array; steps: number } {
    return { m: Float32Array.from(this.m), v: Float32Array.from(this.v), steps: this.steps };
  }

  restore(s: { m: Float32Array; v: Float32Array; steps: number }): void {
    if (s.m.length !== this.m.length || s.v.length !== this.v.length) throw new RangeError('adamw: checkpoint moments have another size');
    this.m.set(s.m);
    this.v.set(s.v);
    this.steps = s.steps;
  }

  /** One step: params -= lr * (m_hat / (sqrt(v_hat) + eps) + decay * param). */
  apply(params: Float32Array, grads: Float32Array): void {
    const lr = this.currentLearningRate();
    this.steps += 1;
    const { beta1: b1, beta2: b2, eps, weightDecay } = this.cfg;
    const c1 = 1 - b1 ** this.steps;
    const c2 = 1 - b2 ** this.steps;
    const { m, v, decays } = this;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      const mi = (m[i] = m[i] * b1 + g * (1 - b1));
      const vi = (v[i] = v[i] * b2 + g * g * (1 - b2));
      const update = mi / c1 / (Math.sqrt(vi / c2) + eps);
      params[i] -= (update + decays[i] * params[i] * weightDecay) * lr;
    }
  }
}

/**
 * Exponential moving average of the weights, used for evaluation and saving. The decay ramps
 * up as min(decay, (1 + t) / (10 + t)) so a short run is not dominated by its random init.
 */
export class WeightEma {
  readonly shadow: Float32Array;
  private t = 0;

  constructor(
    private readonly params: Float32Array,
    private readonly decay: number,
  ) {
    this.shadow = Float32Array.from(params);
  }

  get steps(): number {
    return this.t;
  }

  restore(shadow: Float32Array, steps: number): void {
    if (shadow.length !== this.shadow.length) throw new RangeError('ema: checkpoint shadow has another size');
    this.shadow.set(shadow);
    this.t = steps;
  }

  /** Moves the average one step towards the current weights. */
  step(): void {
    this.t += 1;
    const d = Math.min(this.decay, (1 + this.t) / (10 + this.t));
    const { shadow, params } = this;
    for (let i = 0; i < shadow.length; i++) shadow[i] = shadow[i] * d + params[i] * (1 - d);
  }
}

/**
 * GrokFast-EMA (Lee et al. 2024), the gradient filter the original system trained with: an
 * exponential moving average of the gradients (decay `alpha`) is amplified by `lambda` and
 * added to each step's gradient, g <- g + lambda * ema(g), before the optimiser sees it. It
 * boosts the slow (generalising) component of the gradient.
 */
export class GrokFastFilter {
  readonly ema: Float32Array;
  private started = false;

  constructor(
    size: number,
    private readonly alpha: number,
    private readonly lambda: number,
  ) {
    this.ema = new Float32Array(size);
  }

  /** Filters `grads` in place (the first call seeds the average with the gradient itself). */
  apply(grads: Float32Array): void {
    const { ema, alpha, lambda } = this;
    if (!this.started) {
      ema.set(grads);
      this.started = true;
    } else for (let i = 0; i < grads.length; i++) ema[i] = ema[i] * alpha + grads[i] * (1 - alpha);
    for (let i = 0; i < grads.length; i++) grads[i] += lambda * ema[i];
  }

  state(): { ema: Float32Array; started: boolean } {
    return { ema: Float32Array.from(this.ema), started: this.started };
  }

  restore(s: { ema: Float32Array; started: boolean }): void {
    if (s.ema.length !== this.ema.length) throw new RangeError('grokfast: checkpoint average has another size');
    this.ema.set(s.ema);
    this.started = s.started;
  }
}
