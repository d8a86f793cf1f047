import { findTemporalCli, startDevServer, type DevServer } from '../../src/temporal/devServer';

/**
 * The real Temporal dev server. In CI a missing binary is an error (never a skip); locally,
 * without a binary, the SDK's download is tried.
 */
export async function startTestServer(): Promise<DevServer> {
  const path = findTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!path && process.env.CI) throw new Error('Temporal CLI not found (set TEMPORAL_CLI_PATH or put `temporal` on PATH); CI must not skip integration tests');
  return startDevServer({ cliPath: path ?? undefined });
}
