import { TestWorkflowEnvironment } from '@temporalio/testing';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes';
import { buildTemporalCli, findTemporalCli } from './temporalCli';

export { findTemporalCli } from './temporalCli';

export interface DevServer {
  address: string;
  uiUrl: string | null;
  env: TestWorkflowEnvironment;
  executable: string;
  stop(): Promise<void>;
}

interface DevServerOptions {
  cliPath?: string;
  port?: number;
  ui?: boolean;
  uiPort?: number;
  dbFilename?: string;
  /** Also looked in for a built CLI (DATA_DIR/bin), and where a Go build goes when nothing else works. */
  dataDir?: string;
  /** Progress of a download failure and a build; without it those are not attempted silently but still thrown. */
  onNote?: (line: string) => void;
}

function createLocal(o: DevServerOptions, executable: { type: 'existing-path'; path: string } | { type: 'cached-download' }) {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable,
      ip: '127.0.0.1',
      port: o.port,
      ui: o.ui ?? false,
      uiPort: o.ui ? o.uiPort : undefined,
      dbFilename: o.dbFilename,
      searchAttributes: CUSTOM_SEARCH_ATTRIBUTES,
      log: { format: 'pretty', level: 'warn' },
    },
  });
}

/** The SDK's download error nests causes after the URL, twice: the innermost says it (e.g. "dns error: ..."). */
const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0]!.split('): ').at(-1)!.slice(0, 160);

/**
 * A Temporal dev server for the embedded default and the tests: the local CLI binary when
 * there is one, else the SDK's download, else (with a data directory) a one-time Go build.
 */
export async function startDevServer(o: DevServerOptions = {}): Promise<DevServer> {
  let path = findTemporalCli(o.cliPath, o.dataDir);
  let env: TestWorkflowEnvironment;
  if (path) env = await createLocal(o, { type: 'existing-path', path });
  else {
    try {
      env = await createLocal(o, { type: 'cached-download' });
    } catch (e) {
      if (!o.dataDir) throw e;
      const why = `its download failed (${firstLine(e)})`;
      o.onNote?.(`Temporal CLI download failed: ${firstLine(e)}`);
      path = await buildTemporalCli(o.dataDir, o.onNote ?? (() => {}), why);
      env = await createLocal(o, { type: 'existing-path', path });
    }
  }
  return {
    address: env.address,
    uiUrl: o.ui ? `http://127.0.0.1:${o.uiPort ?? 8233}` : null,
    env,
    executable: path ?? 'SDK download',
    stop: () => env.teardown(),
  };
}
