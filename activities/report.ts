import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadReportData } from '../src/reports/reportData';
import { renderRunReport } from '../src/reports/runReport';
import { saveReport } from '../src/store/reportStore';
import { steps } from '../src/pipeline/steps';
import type { ActivityDeps } from './deps';
import { runStep } from './steps';

export function createReportActivities(deps: ActivityDeps) {
  return {
    /**
     * Renders the run's HTML report from what Postgres holds, stores it (so `runs report` works
     * from any machine) and, when the worker has a reports folder, writes it there too.
     */
    async writeReport(a: { runId: string }): Promise<{ bytes: number; path: string | null }> {
      return runStep(deps, a.runId, steps.report, async () => {
        const html = renderRunReport(await loadReportData(deps.db, a.runId));
        await saveReport(deps.db, a.runId, html);
        let path: string | null = null;
        if (deps.reportsDir) {
          await mkdir(deps.reportsDir, { recursive: true });
          path = join(deps.reportsDir, `${a.runId}.html`);
          await writeFile(path, html, 'utf8');
        }
        return { bytes: Buffer.byteLength(html), path };
      });
    },
  };
}
