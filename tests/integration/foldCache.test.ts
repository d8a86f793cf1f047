import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CachedFold } from '../../src/evaluation/protocol';
import { postgresFoldCache } from '../../src/store/foldCache';
import { getFoldArtifact } from '../../src/store/foldStore';
import { createTestDb, type TestDb } from '../helpers/postgres';

const fold = (key: string, artifact: string): CachedFold => ({
  key,
  kind: 'logistic',
  candidateHash: 'c_x',
  trainFrom: '2010-01-04',
  trainTo: '2014-12-31',
  testFrom: '2015-01-02',
  testTo: '2015-12-31',
  testRowsHash: 'rows-1',
  artifact: Buffer.from(artifact),
  proba: Float32Array.from([0.25, 0.75, 0.5, 0.5]),
  summary: { kind: 'logistic', trainRows: 10, sampleRows: 10, mix: [], archiveShare: 0, trainedFrom: '2010-01-04', trainedThrough: '2014-12-31', earlyStopping: null, report: { iterations: 3 }, seconds: 1.5 },
});

describe('the Postgres fold cache', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb('folds');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('reads a fold without its model, fetches the model on demand, and overwrites on a re-prediction', async () => {
    const cache = postgresFoldCache(db.db, { task: 'signal', feed: 'f' });
    expect(await cache.get('f_missing')).toBeNull();
    await cache.put(fold('f_1', 'model bytes'));
    const found = await cache.get('f_1');
    expect(found).toMatchObject({ key: 'f_1', kind: 'logistic', testRowsHash: 'rows-1', summary: { seconds: 1.5 } });
    expect(Array.from(found!.proba!)).toEqual([0.25, 0.75, 0.5, 0.5]);
    expect('createdAt' in found!).toBe(false);
    expect((await found!.artifact()).toString()).toBe('model bytes');
    await cache.put({ ...fold('f_1', 'model bytes'), testRowsHash: 'rows-2', proba: Float32Array.from([1, 0]) });
    const again = await cache.get('f_1');
    expect(again!.testRowsHash).toBe('rows-2');
    expect(Array.from(again!.proba!)).toEqual([1, 0]);
    expect((await getFoldArtifact(db.db, 'f_1'))!.toString()).toBe('model bytes');
    expect(await getFoldArtifact(db.db, 'f_missing')).toBeNull();
  });
});
