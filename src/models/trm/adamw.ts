import { tf } from '../tf/backend';
import { variableFrom } from './trmNetwork';

export interface AdamWConfig {
  learningRate: number;
  weightDecay: number;
  warmupSteps: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/**
 * AdamW (decoupled weight decay, Loshchilov & Hutter) with linear warm-up. tfjs ships Adam but
 * not AdamW, and its optimizers cannot change the learning rate per step.
 * Decay applies to matrices only, never to biases or norm gains.
 */
export class AdamW {
  private m = new Map<string, tf.Variable>();
  private v = new Map<string, tf.Variable>();
  step = 0;

  constructor(
    private readonly vars: Record<string, tf.Variable>,
    private readonly cfg: AdamWConfig,
  ) {
    for (const [name, p] of Object.entries(vars)) {
      this.m.set(name, variableFrom(tf.zerosLike(p), false));
      this.v.set(name, variableFrom(tf.zerosLike(p), false));
    }
  }

  currentLearningRate(): number {
    const warm = this.cfg.warmupSteps > 0 ? Math.min(1, (this.step + 1) / this.cfg.warmupSteps) : 1;
    return this.cfg.learningRate * warm;
  }

  /** grads keyed like the vars passed to the constructor. */
  apply(grads: Record<string, tf.Tensor>): void {
    const lr = this.currentLearningRate();
    this.step += 1;
    const { beta1: b1, beta2: b2, eps, weightDecay } = this.cfg;
    const c1 = 1 - b1 ** this.step;
    const c2 = 1 - b2 ** this.step;
    tf.tidy(() => {
      for (const [name, p] of Object.entries(this.vars)) {
        const g = grads[name];
        if (!g) continue;
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
        v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), eps));
        const decay = p.shape.length >= 2 ? tf.mul(p, weightDecay) : tf.zerosLike(p);
        p.assign(tf.sub(p, tf.mul(tf.add(update, decay), lr)));
      }
    });
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}

/**
 * Exponential moving average of the weights, used for evaluation and saving. The decay ramps
 * up as min(decay, (1 + t) / (10 + t)) so a short run is not dominated by its random init.
 */
export class WeightEma {
  private shadow = new Map<string, tf.Variable>();
  private t = 0;

  constructor(
    private readonly vars: Record<string, tf.Variable>,
    private readonly decay: number,
  ) {
    for (const [name, p] of Object.entries(vars)) this.shadow.set(name, variableFrom(tf.clone(p), false));
  }

  update(): void {
    this.t += 1;
    const d = Math.min(this.decay, (1 + this.t) / (10 + this.t));
    tf.tidy(() => {
      for (const [name, p] of Object.entries(this.vars)) {
        const s = this.shadow.get(name)!;
        s.assign(tf.add(tf.mul(s, d), tf.mul(p, 1 - d)));
      }
    });
  }

  /** Current averaged values as plain arrays (a checkpoint). */
  values(): Record<string, { shape: number[]; values: Float32Array }> {
    const out: Record<string, { shape: number[]; values: Float32Array }> = {};
    for (const [name, s] of this.shadow) out[name] = { shape: [...s.shape], values: Float32Array.from(s.dataSync()) };
    return out;
  }

  dispose(): void {
    for (const s of this.shadow.values()) s.dispose();
  }
}
