import { gzipSync } from 'node:zlib';
import { ModelArtifactError } from '../errors';
import { applyStandardizer, type Standardizer } from '../features/standardize';
import type { Classifier, Matrix, ModelJSON } from './classifier';
import { readArtifactJson } from './ensemblePipeline';
import type { Predictor } from './predictor';
import { modelFromJSON } from './modelKinds';

/**
 * What gets stored in the registry: the classifier plus everything needed to use it on new
 * rows (feature names, class names, the training-window standardiser).
 */
export const MODEL_FORMAT = 'regime-retrain/model@1';

export class ModelPipeline implements Predictor {
  constructor(
    readonly classifier: Classifier,
    readonly standardizer: Standardizer,
    readonly featureNames: string[],
    readonly classNames: string[],
  ) {}

  transform(X: Matrix): Matrix {
    if (X.cols !== this.featureNames.length) throw new RangeError(`expected ${this.featureNames.length} features (${this.featureNames.join(', ')}), got ${X.cols}`);
    return { data: applyStandardizer(this.standardizer, X.data, X.cols), rows: X.rows, cols: X.cols };
  }

  /** Probabilities for raw (unstandardised) feature rows. */
  predictProba(X: Matrix): Float64Array {
    return this.classifier.predictProba(this.transform(X));
  }

  toArtifact(): Buffer {
    const json = { format: MODEL_FORMAT, featureNames: this.featureNames, classNames: this.classNames, standardizer: this.standardizer, model: this.classifier.toJSON() };
    return gzipSync(Buffer.from(JSON.stringify(json), 'utf8'));
  }

  static fromArtifact(buf: Uint8Array): ModelPipeline {
    const json = readArtifactJson(buf) as { format?: string; featureNames: string[]; classNames: string[]; standardizer: Standardizer; model: ModelJSON };
    if (json.format !== MODEL_FORMAT) throw new ModelArtifactError(`unknown model artifact format "${json.format}"`);
    return new ModelPipeline(modelFromJSON(json.model), json.standardizer, json.featureNames, json.classNames);
  }
}
