import type { Db } from '../db/client';
import type { FoldCache, FitSummary, FoundFold } from '../evaluation/protocol';
import { getFold, getFoldArtifact, putFold } from './foldStore';

async function artifactOf(db: Db, key: string): Promise<Buffer> {
  const a = await getFoldArtifact(db, key);
  if (!a) throw new Error(`fold result ${key} has gone from the store`);
  return a;
}

/** The walk-forward fold cache in Postgres, scoped to a task and feed. */
export function postgresFoldCache(db: Db, scope: { task: string; feed: string }): FoldCache {
  return {
    async get(key) {
      const f = await getFold(db, key);
      return f ? ({ ...f, summary: f.summary as FitSummary, artifact: () => artifactOf(db, key) } satisfies FoundFold) : null;
    },
    async put(f) {
      await putFold(db, { ...f, task: scope.task, feed: scope.feed });
    },
  };
}
