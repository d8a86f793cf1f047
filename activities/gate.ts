import type { Assessment } from '../src/evaluation/protocol';
import { steps } from '../src/pipeline/steps';
import { previousDecision, retireChampion, saveDecision, setAlias } from '../src/store/aliasStore';
import { championAge, unprovenSince, weeksUnproven, type ChampionAfter } from '../src/registry/championAge';
import { modelRow } from '../src/store/modelStore';
import { loadDataset } from '../src/store/datasetStore';
import { evaluationDetail } from '../src/store/evaluationStore';
import type { ApprovalRecord, GateResult, TaskName, Verdict } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { loadPlan } from './taskContext';
import { loadRunConfig } from './runs';
import { runStep } from './steps';

/** What a verdict becomes when its approval was refused or timed out: nothing moves. */
function refused(action: Verdict['action'], reason: string, approval: ApprovalRecord, championId: string | null): { action: Verdict['action']; promoted: false; reason: string } {
  const why = approval.outcome === 'rejected' ? `rejected by ${approval.approver}: ${approval.reason}` : approval.reason;
  return { action: championId ? 'keep' : 'none', promoted: false, reason: `${action} not applied (${why}); verdict was: ${reason}` };
}

/** A candidate's pooled walk-forward value of the primary metric, from the assessment document. */
function metricOf(doc: Assessment['document'], key: string | null, name: string): { name: string; value: number } | null {
  const all = doc.candidates.find((c) => c.key === key)?.metrics.all as Record<string, unknown> | undefined;
  const value = all?.[name];
  return typeof value === 'number' && Number.isFinite(value) ? { name, value } : null;
}

export function createGateActivities(deps: ActivityDeps) {
  return {
    /**
     * Applies the assessment's verdict in the run's lineage: a promotion or a refresh moves the
     * champion to the refitted model, effective from the run's as-of date; every decision is
     * stored with its evidence (p-values, CIs, DSR, PBO, candidate count).
     */
    async promotionGate(a: { runId: string; task: TaskName; datasetId: string; refits: { candidate: string; modelId: string }[]; approval?: ApprovalRecord | null }): Promise<GateResult> {
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
        if (d.promoted && !refitOf(deployKey)) throw new Error(`verdict ${d.action} but no refit of ${deployKey} was stored`);
        const championId = plan.champion?.modelId ?? null;
        // A verdict that waited for a person is applied only when approved.
        const approval = a.approval ?? null;
        const outcome = approval && d.promoted && approval.outcome !== 'approved' ? refused(d.action, d.reason, approval, championId) : { action: d.action, promoted: d.promoted, reason: d.reason };
        const deploy = outcome.promoted ? refitOf(deployKey) : null;
        const actor = `workflow:${a.runId}`;
        // A kept champion that no longer proves skill: since when, and retired after gate.retireAfterUnprovenWeeks.
        const gate = cfg.config.gate;
        let since: string | null = null;
        let weeks: number | null = null;
        let retired = false;
        if (outcome.action === 'keep' && d.championUnproven && championId) {
          const prev = await previousDecision(deps.db, { ...scope, before: cfg.asOf });
          since = unprovenSince({ asOf: cfg.asOf, championId, previous: prev ? { championAfter: (prev.stats as { championAfter?: ChampionAfter } | null)?.championAfter ?? null } : null });
          weeks = weeksUnproven(since, cfg.asOf);
          const unproven = ` It has not proved skill since ${since} (${weeks} week${weeks === 1 ? '' : 's'} unproven`;
          if (gate.retireAfterUnprovenWeeks !== null && weeks >= gate.retireAfterUnprovenWeeks) {
            retired = true;
            Object.assign(outcome, {
              action: 'retire' as const,
              reason: `${outcome.reason}.${unproven}, gate.retireAfterUnprovenWeeks ${gate.retireAfterUnprovenWeeks}): retired; predictions come from ${(doc.stats as { reference: string }).reference}`,
            });
          } else {
            outcome.reason = `${outcome.reason}.${unproven}${gate.retireAfterUnprovenWeeks !== null ? `; retired to the reference at ${gate.retireAfterUnprovenWeeks}` : ''})`;
          }
        }
        if (retired) await retireChampion(deps.db, { ...scope, effectiveFrom: cfg.asOf, actor, reason: outcome.reason });
        // What is champion after this decision, and how old its data is at this run's as-of.
        const afterId = deploy ?? (retired ? null : championId);
        const afterRow = afterId ? await modelRow(deps.db, afterId) : null;
        const age = championAge({ trainedThrough: afterRow?.trainedThrough ?? null, effectiveFrom: afterRow?.asOf ?? null, at: cfg.asOf, maxAgeDays: gate.maxChampionAgeDays });
        const championAfter: ChampionAfter = afterId ? { modelId: afterId, ...age, unprovenSince: since, weeksUnproven: weeks } : { modelId: null, since: null, ageDays: null, maxAgeDays: gate.maxChampionAgeDays, stale: false, unprovenSince: null, weeksUnproven: null };
        if (championAfter.stale) outcome.reason = `${outcome.reason}. Stale champion: trained through ${age.since}, ${age.ageDays} days before ${cfg.asOf} (gate.maxChampionAgeDays ${gate.maxChampionAgeDays})`;
        if (selectedRefit) await setAlias(deps.db, { ...scope, alias: 'challenger', modelId: selectedRefit, effectiveFrom: cfg.asOf, actor, reason: 'selected by walk-forward evaluation', runId: a.runId });
        if (deploy) {
          const approved = approval?.outcome === 'approved' ? approval : null;
          const move = approved ? { actor: approved.approver ?? actor, reason: `${d.reason}; approved by ${approved.approver}: ${approved.reason}` } : { actor, reason: d.reason };
          await setAlias(deps.db, { ...scope, alias: 'champion', ...move, modelId: deploy, effectiveFrom: cfg.asOf, runId: a.runId });
        }
        await saveDecision(deps.db, {
          runId: a.runId,
          task: a.task,
          lineage: cfg.lineage,
          verdict: outcome.action,
          challengerId: selectedRefit,
          championId,
          promoted: outcome.promoted,
          checks: d.checks,
          stats: { ...(doc.stats as object), championAfter },
          reason: outcome.reason,
          approval,
        });
        deps.logger.info({ runId: a.runId, task: a.task, lineage: cfg.lineage, action: outcome.action, deployed: deploy, reason: outcome.reason, approval: approval?.outcome ?? null }, 'promotion decision');
        // The champion after the decision: the deployed configuration, else the incumbent's (evaluated on the same folds).
        const championKey = deploy ? deployKey : championId && !retired ? plan.championKey : null;
        const primary = (doc.stats as { primaryMetric: string }).primaryMetric;
        return {
          task: a.task,
          lineage: cfg.lineage,
          action: outcome.action,
          promoted: outcome.promoted,
          challengerId: selectedRefit,
          championId,
          reason: outcome.reason,
          pValue: d.pValue,
          checks: d.checks.map((c) => ({ name: c.name, passed: c.passed, detail: c.detail })),
          deployed: deploy ? { modelId: deploy, kind: plan.candidates.find((c) => c.key === deployKey)?.kind ?? deployKey! } : null,
          championMetric: metricOf(doc, championKey, primary),
          approval,
        };
      });
    },
  };
}
