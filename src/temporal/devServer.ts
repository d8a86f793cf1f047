import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes';

/** TEMPORAL_CLI_PATH, else `temporal` on PATH, else $GOPATH/bin (go install), else none. */
export function findTemporalCli(explicit?: string): string | null {
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} does not exist`);
    return explicit;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'temporal'))) return join(dir, 'temporal');
  }
  const goBin = join(process.env.GOPATH ?? join(homedir(), 'go'), 'bin', 'temporal');
  return existsSync(goBin) ? goBin : null;
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  env: TestWorkflowEnvironment;
  executable: string;
  stop(): Promise<void>;
}

/**
 * A Temporal dev server for the embedded default and the tests: the local CLI binary when
 * there is one, else the SDK downloads it (needs internet).
 */
export async function startDevServer(o: { cliPath?: string; port?: number; ui?: boolean; uiPort?: number; dbFilename?: string } = {}): Promise<DevServer> {
  const path = findTemporalCli(o.cliPath);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: path ? { type: 'existing-path', path } : { type: 'cached-download' },
      ip: '127.0.0.1',
      port: o.port,
      ui: o.ui ?? false,
      uiPort: o.ui ? o.uiPort : undefined,
      dbFilename: o.dbFilename,
      searchAttributes: CUSTOM_SEARCH_ATTRIBUTES,
      log: { format: 'pretty', level: 'warn' },
    },
  });
  return {
    address: env.address,
    uiUrl: o.ui ? `http://127.0.0.1:${o.uiPort ?? 8233}` : null,
    env,
    executable: path ?? 'SDK download',
    stop: () => env.teardown(),
  };
}
