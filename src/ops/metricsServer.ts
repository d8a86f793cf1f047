import { createServer, type Server } from 'node:http';
import { mergeExpositions } from './exposition';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** A scrape of an internal exposition (a Temporal Runtime's); a source that is down is left out, with a note. */
export async function fetchExposition(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

/**
 * GET /metrics on METRICS_PORT: every source's exposition merged into one page. A failing
 * source (a training worker restarting, the database busy) costs its own families for that
 * scrape only, and is counted in regime_retrain_metrics_source_errors.
 */
export function startMetricsServer(o: { port: number; host?: string; sources: Array<() => Promise<string>>; onError?: (e: Error) => void }): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || !req.url?.startsWith('/metrics')) {
      res.writeHead(404).end('metrics are at /metrics\n');
      return;
    }
    void Promise.allSettled(o.sources.map((s) => s())).then((results) => {
      const pages = results.filter((r): r is PromiseFulfilledResult<string> => r.status === 'fulfilled').map((r) => r.value);
      const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      for (const e of errors) o.onError?.(e.reason as Error);
      pages.push(`# HELP regime_retrain_metrics_source_errors Metric sources that failed in this scrape.\n# TYPE regime_retrain_metrics_source_errors gauge\nregime_retrain_metrics_source_errors ${errors.length}\n`);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(mergeExpositions(pages));
    });
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(o.port, o.host ?? '0.0.0.0', () => {
      const { port } = server.address() as { port: number };
      done({ port, close: () => new Promise<void>((closed) => server.close(() => closed())) });
    });
  });
}
