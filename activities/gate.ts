import type { Assessment } from '../src/evaluation/protocol/assess';
import { steps } from '../src/pipeline/steps';
import { saveDecision, setAlias } from '../src/store/aliasStore';
import { loadDataset } from '../src/store/datasetStore';
import { evaluationDetail } from '../src/store/evaluationStore';
import type { GateResult, TaskName } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { loadPlan } from './taskContext';
import { loadRunConfig } from './runs';
import { runStep } from './steps';

export function createGateActivities(deps: ActivityDeps) {
  return {
    /**
     * Applies the assessment's verdict in the run's lineage: a promotion or a refresh moves the
     * champion to the refitted model, effective from the run's as-of date; every decision is
     * stored with its evidence (p-values, CIs, DSR, PBO, candidate count).
     */
    async promotionGate(a: { runId: string; task: TaskName; datasetId: string; refits: { candidate: string; modelId: string }[] }): Promise<GateResult> {
      return runStep(deps, a.runId, steps.gate(a.task), async () => {
        const cfg = await loadRunConfig(deps.db, a.runId);
        const ds = await loadDataset(deps.db, a.datasetId);
        const plan = await loadPlan(deps, a);
        const doc = (await evaluationDetail(deps.db, a.runId, a.task, 'assessment')) as Assessment['document'] | null;
        if (!doc) throw new Error(`run ${a.runId} has no assessment for ${a.task}`);
        const d = doc.decision;
        const scope = { task: a.task, feed: ds.feed, lineage: cfg.lineage };
        const refitOf = (key: string | null) => (key ? (a.refits.find((r) => r.candidate === key)?.modelId ?? null) : null);
        const selectedRefit = refitOf(doc.selected);
        // A refresh after a refused challenger deploys the champion configuration's refit.
        const deployKey = d.action === 'refresh' && doc.selected !== plan.championKey && plan.championKey ? plan.championKey : doc.selected;
        const deploy = d.promoted ? refitOf(deployKey) : null;
        if (d.promoted && !deploy) throw new Error(`verdict ${d.action} but no refit of ${deployKey} was stored`);
        const actor = `workflow:${a.runId}`;
        if (selectedRefit) await setAlias(deps.db, { ...scope, alias: 'challenger', modelId: selectedRefit, effectiveFrom: cfg.asOf, actor, reason: 'selected by walk-forward evaluation', runId: a.runId });
        if (deploy) await setAlias(deps.db, { ...scope, alias: 'champion', modelId: deploy, effectiveFrom: cfg.asOf, actor, reason: d.reason, runId: a.runId });
        const championId = plan.champion?.modelId ?? null;
        await saveDecision(deps.db, {
          runId: a.runId,
          task: a.task,
          lineage: cfg.lineage,
          verdict: d.action,
          challengerId: selectedRefit,
          championId,
          promoted: d.promoted,
          checks: d.checks,
          stats: doc.stats,
          reason: d.reason,
        });
        deps.logger.info({ runId: a.runId, task: a.task, lineage: cfg.lineage, action: d.action, deployed: deploy, reason: d.reason }, 'promotion decision');
        return {
          task: a.task,
          lineage: cfg.lineage,
          action: d.action,
          promoted: d.promoted,
          challengerId: selectedRefit,
          championId,
          reason: d.reason,
          pValue: d.pValue,
          checks: d.checks.map((c) => ({ name: c.name, passed: c.passed, detail: c.detail })),
        };
      });
    },
  };
}
