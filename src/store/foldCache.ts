import type { Db } from '../db/client';
import type { CachedFold, FoldCache, FitSummary } from '../evaluation/protocol';
import { getFold, putFold } from './foldStore';

/** The walk-forward fold cache in Postgres, scoped to a task and feed. */
export function postgresFoldCache(db: Db, scope: { task: string; feed: string }): FoldCache {
  return {
    async get(key) {
      const f = await getFold(db, key);
      return f ? ({ ...f, summary: f.summary as FitSummary } satisfies CachedFold) : null;
    },
    async put(f) {
      await putFold(db, { ...f, task: scope.task, feed: scope.feed });
    },
  };
}
