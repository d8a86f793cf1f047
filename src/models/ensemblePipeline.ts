import { gunzipSync, gzipSync } from 'node:zlib';
import { ModelArtifactError } from '../errors';
import type { Matrix, ModelJSON } from './classifier';
import { MetaLearner } from './metaLearner';
import type { Predictor } from './predictor';

export const ENSEMBLE_FORMAT = 'regime-retrain/ensemble@1';

/**
 * The meta-learner over its member models. The artifact stores the members by model id (they
 * are registry entries in their own right), so loading resolves them from the registry.
 */
export class EnsemblePipeline implements Predictor {
  constructor(
    readonly meta: MetaLearner,
    readonly memberIds: string[],
    readonly members: Predictor[],
    readonly featureNames: string[],
    readonly classNames: string[],
  ) {
    if (members.length !== memberIds.length) throw new RangeError(`ensemble: ${members.length} members for ${memberIds.length} ids`);
    for (const [i, m] of members.entries()) {
      if (m.classNames.join('|') !== classNames.join('|')) throw new ModelArtifactError(`ensemble member ${memberIds[i]} predicts other classes (${m.classNames.join(', ')})`);
    }
  }

  /** Members' probabilities side by side: the meta-learner's input rows. */
  memberProba(X: Matrix): Matrix {
    const K = this.classNames.length;
    const M = this.members.length;
    const out = new Float64Array(X.rows * M * K);
    this.members.forEach((m, j) => {
      const p = m.predictProba(X);
      for (let i = 0; i < X.rows; i++) out.set(p.subarray(i * K, (i + 1) * K), (i * M + j) * K);
    });
    return { data: out, rows: X.rows, cols: M * K };
  }

  predictProba(X: Matrix): Float64Array {
    return this.meta.predictProba(this.memberProba(X));
  }

  toArtifact(): Buffer {
    const json = { format: ENSEMBLE_FORMAT, memberIds: this.memberIds, featureNames: this.featureNames, classNames: this.classNames, model: this.meta.toJSON() };
    return gzipSync(Buffer.from(JSON.stringify(json), 'utf8'));
  }

  static async fromArtifact(buf: Uint8Array, loadMember: (id: string) => Promise<Predictor>): Promise<EnsemblePipeline> {
    const json = readArtifactJson(buf) as { format: string; memberIds: string[]; featureNames: string[]; classNames: string[]; model: ModelJSON };
    if (json.format !== ENSEMBLE_FORMAT) throw new ModelArtifactError(`expected an ensemble artifact, got "${json.format}"`);
    const members = await Promise.all(json.memberIds.map(loadMember));
    return new EnsemblePipeline(MetaLearner.fromJSON(json.model), json.memberIds, members, json.featureNames, json.classNames);
  }
}

export function readArtifactJson(buf: Uint8Array): { format?: string } & Record<string, unknown> {
  try {
    return JSON.parse(gunzipSync(buf).toString('utf8'));
  } catch (e) {
    throw new ModelArtifactError(`model artifact is not readable: ${(e as Error).message}`);
  }
}
