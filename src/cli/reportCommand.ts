import { createServer } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Db } from '../db/client';
import { loadReportData } from '../reports/reportData';
import { renderRunReport } from '../reports/runReport';
import { storedReport } from '../store/reportStore';
import { getRun } from '../store/runStore';

/** The stored report of a run (rendered now if the run predates reports or has none yet). */
export async function reportHtml(db: Db, id: string): Promise<{ runId: string; html: string }> {
  const r = await getRun(db, id);
  if (!r) throw new Error(`no run ${id}`);
  return { runId: r.run.id, html: (await storedReport(db, r.run.id)) ?? renderRunReport(await loadReportData(db, r.run.id)) };
}

export async function writeReportFile(html: string, out: string): Promise<string> {
  const path = resolve(out);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, html, 'utf8');
  return path;
}

/** Serves one HTML page on 127.0.0.1 until Ctrl-C. */
export function serveReport(html: string, port: number): Promise<void> {
  return new Promise((resolveDone) => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    });
    server.listen(port, '127.0.0.1', () => console.log(`report at http://127.0.0.1:${port}/ (Ctrl-C to stop)`));
    process.once('SIGINT', () => server.close(() => resolveDone()));
  });
}

export const defaultReportPath = (reportsDir: string, runId: string) => join(reportsDir, `${runId}.html`);
