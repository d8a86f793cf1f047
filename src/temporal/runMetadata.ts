import type { RetrainInput } from '../../workflows/types';
import { DEFAULT_TASKS } from '../pipeline/tasks';

function sourceText(s: RetrainInput['source']): string {
  if (!s) return 'synthetic market';
  if (s.kind === 'csv') return `CSV folder \`${s.dir}\``;
  if (s.kind === 'online') return 'online (Yahoo chart)';
  return `synthetic market${s.seed !== undefined ? `, seed ${s.seed}` : ''}${s.planted ? `, planted edge ${s.planted}` : ''}${s.stocks ? `, ${s.stocks} extra stocks` : ''}`;
}

/**
 * Temporal user metadata fixed at start (shown by the UI and `temporal workflow describe`): a
 * one-line summary and Markdown details of what the run was asked to do. The live stage,
 * models done and verdict are the workflow's current details.
 */
export function retrainMetadata(input: RetrainInput, o: { scheduled?: boolean } = {}): { staticSummary: string; staticDetails: string } {
  const tasks = (input.tasks ?? DEFAULT_TASKS).join(' + ');
  const when = input.asOf ? `as of ${input.asOf}` : o.scheduled ? 'as of the scheduled Saturday' : 'as of today';
  const trigger = o.scheduled ? 'schedule' : (input.trigger ?? 'manual');
  const config = input.config && Object.keys(input.config).length ? JSON.stringify(input.config) : null;
  const rows: [string, string][] = [
    ['tasks', tasks],
    ['as of', input.asOf ?? (o.scheduled ? 'the scheduled Saturday (local date)' : 'today')],
    ['trigger', trigger],
    ['source', sourceText(input.source)],
    ['models', input.models?.join(', ') ?? 'all kinds'],
    ['meta-learner', input.meta === false ? 'off' : 'on'],
    ['lineage', input.lineage ?? 'live (or its own when dated before the live champion)'],
  ];
  const details = [
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`),
    ...(config ? ['', `Config overrides: \`${config.length > 600 ? `${config.slice(0, 599)}…` : config}\``] : []),
  ].join('\n');
  return { staticSummary: `Weekly retrain ${when} · ${tasks} · ${trigger}`, staticDetails: details };
}
