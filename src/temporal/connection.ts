import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { AppConfig } from '../config';

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
  return new Client({ connection, namespace: cfg.namespace });
}

export async function connectWorker(cfg: AppConfig['temporal'], address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address, tls: tlsOptions(cfg), apiKey: cfg.apiKey });
}
