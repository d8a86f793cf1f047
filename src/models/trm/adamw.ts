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

  /** Moves the average one step towards the current weights. */
  step(): void {
    this.t += 1;
    const d = Math.min(this.decay, (1 + this.t) / (10 + this.t));
    const { shadow, params } = this;
    for (let i = 0; i < shadow.length; i++) shadow[i] = shadow[i] * d + params[i] * (1 - d);
  }
}
