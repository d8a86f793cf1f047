import type { Client } from '@temporalio/client';
import { waitFor } from './workerProcess';

/** Workflow ids a visibility query finds now. */
export async function listedIds(client: Client, query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of client.workflow.list({ query })) ids.push(w.workflowId);
  return ids;
}

/** Visibility is eventually consistent: the ids a query finds once it finds any. */
export function waitForListed(client: Client, query: string, timeoutMs = 20_000): Promise<string[]> {
  return waitFor(`the visibility query to find a run (${query})`, async () => {
    const ids = await listedIds(client, query);
    return ids.length ? ids : null;
  }, timeoutMs);
}
