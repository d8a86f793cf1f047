import type { Comparison } from './groupEvidence';
import { effectWord, type PairedEstimate } from './pairedEstimate';

type ArmLike = { name: string; kind: string; vsReferences: Comparison[]; fits: { trained: number; reused: number } };

const LABEL: Record<string, string> = {
  plain: 'Plain training (no choice on)',
  weights: 'Regime weights',
  balanced: 'The balanced sample',
  archive: 'The crisis archive',
  uniqueness: 'Uniqueness weights',
  default: 'The default configuration (all four choices)',
};

const minus = (s: string) => s.replace(/^-/, '−');
const signed = (x: number, digits: number, unit = '') => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}${unit}`;
const pct = (x: number) => signed(x * 100, 2, '%/yr');
const range = (ci: [number, number], f: (x: number) => string) => `${minus(f(ci[0]))}..${minus(f(ci[1]))}`;
const pctRange = (ci: [number, number]) => range(ci, (x) => `${(x * 100).toFixed(2)}%`);
const num = (x: number) => x.toFixed(3);
const pv = (p: number) => (Number.isFinite(p) ? (p < 0.001 ? 'p < 0.001' : `p ${p.toFixed(3)}`) : 'p n/a');
const count = (n: number) => n.toLocaleString('en-US');

function identical(e: PairedEstimate): boolean {
  return e.diff === 0 && e.ci95[0] === 0 && e.ci95[1] === 0;
}

function returnPhrase(e: PairedEstimate, unitDays: string): string {
  return `${pct(e.diff)} (95% CI ${pctRange(e.ci95)}, ${pv(e.pValue)}, n ${count(e.n)} ${unitDays})`;
}

/**
 * The study's answer in words, from the CIs only: "helps" when the 95% CI lies above zero,
 * "hurts" below, otherwise "not shown to help". Training arms: overall decision value, crash-day
 * decision value and crash macro-F1 against `plain` (the default also against nothing on); cadence
 * arms: what weekly retraining earns over each; policy arms: each policy against the baseline.
 */
export function studyVerdicts(task: string, arms: ArmLike[]): string[] {
  const money = task === 'strategy' ? 'net return' : 'long-short return';
  const out: string[] = [];
  for (const a of arms) {
    for (const c of a.vsReferences) {
      if (a.kind === 'training') {
        if (a.name === 'plain' || (a.name !== 'default' && c.reference === 'default')) continue;
        const who = LABEL[a.name] ?? a.name;
        if (identical(c)) {
          out.push(`${who}: every fit is the same as ${c.reference}'s on this task (${a.fits.reused} of ${a.fits.trained + a.fits.reused} fits reused): no effect to measure`);
          continue;
        }
        out.push(`${who} vs ${c.reference}: ${money} ${returnPhrase(c, 'days')}: ${effectWord(c)}`);
        const crash = c.byRegime.crash;
        if (crash.n > 0) out.push(`${who} vs ${c.reference}, crash days: ${money} ${returnPhrase(crash, 'days')}: ${effectWord(crash)}`);
        const f1 = c.macroF1.byRegime.crash;
        if (f1.n > 0) out.push(`${who} vs ${c.reference}: crash macro-F1 ${signed(f1.diff, 3)} (95% CI ${range(f1.ci95, num)}, n ${count(f1.n)}): ${effectWord(f1)}`);
        if (c.ic) out.push(`${who} vs ${c.reference}: daily IC ${signed(c.ic.diff, 4)} (95% CI ${range(c.ic.ci95, (x) => x.toFixed(4))}, n ${count(c.ic.n)} days): ${effectWord(c.ic)}`);
      } else if (a.kind === 'cadence') {
        // Stated from the reference's side (weekly, unless weekly was not asked): what retraining that often earns over this cadence.
        const w: PairedEstimate = { diff: -c.diff, ci95: [-c.ci95[1], -c.ci95[0]], pValue: c.pValue, n: c.n };
        const other = a.name.slice('cadence:'.length);
        const ref = c.reference.slice('cadence:'.length);
        const Ref = ref[0].toUpperCase() + ref.slice(1);
        const word = effectWord(w);
        const verdict = word === 'helps' ? `${ref} retraining is shown to pay` : word === 'hurts' ? `${ref} retraining is shown to cost` : 'not shown to pay';
        out.push(`${Ref} ${w.diff >= 0 ? 'beats' : 'trails'} ${other === 'once' ? 'training once at --from' : `${other} retraining`} by ${pct(Math.abs(w.diff)).replace(/^\+/, '')} of ${money} (${ref} minus ${other}: ${returnPhrase(w, 'days')}): ${verdict}`);
        for (const r of ['high_volatility', 'crash'] as const) {
          const e = c.byRegime[r];
          if (e.n > 0) out.push(`${Ref} minus ${other}, ${r.replace('_', ' ')} days: ${returnPhrase({ diff: -e.diff, ci95: [-e.ci95[1], -e.ci95[0]], pValue: e.pValue, n: e.n }, 'days')}`);
        }
      } else if (identical(c)) {
        out.push(`${a.name} served exactly what ${c.reference} served on all ${count(c.n)} days: no difference to measure`);
      } else {
        out.push(`${a.name} vs ${c.reference}: ${money} ${returnPhrase(c, 'days')}: ${effectWord(c)}`);
      }
    }
  }
  return out;
}
