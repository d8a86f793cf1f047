import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { AppConfig } from '../config';
import { processTracing } from '../ops/tracing';

/** TLS/mTLS (Temporal Cloud or self-hosted) and API keys come only from the environment. */
function tlsOptions(cfg: AppConfig['temporal']) {
  if (!cfg.tls && !cfg.apiKey) return undefined;
  if (!cfg.tls) return true as const;
  return {
    serverNameOverride: cfg.tls.serverName,
    serverRootCACertificate: cfg.tls.caPath ? readFileSync(cfg.tls.caPath) : undefined,
    clientCertPair: cfg.tls.certPath && cfg.tls.keyPath ? { crt: readFileSync(cfg.tls.certPath), key: readFileSync(cfg.tls.keyPath) } : undefined,
  };
}

export async function connectClient(cfg: AppConfig['temporal'], address: string): Promise<Client> {
  const connection = await Connection.connect({ address, tls: tlsOptions(cfg), apiKey: cfg.apiKey });
  // With OTEL_EXPORTER_OTLP_ENDPOINT, a run started here opens its trace (StartWorkflow span).
  const tracing = await processTracing();
  return new Client({ connection, namespace: cfg.namespace, ...(tracing ? { interceptors: { workflow: tracing.client } } : {}) });
}

export async function connectWorker(cfg: AppConfig['temporal'], address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address, tls: tlsOptions(cfg), apiKey: cfg.apiKey });
}
