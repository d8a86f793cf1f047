/** Prometheus text exposition (format 0.0.4): writing our own families, and merging several sources into one page. */

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

const num = (v: number) => (Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN');

/** One metric family: HELP, TYPE and its samples. */
export class Family {
  private readonly lines: string[] = [];
  constructor(
    readonly name: string,
    private readonly type: 'counter' | 'gauge' | 'histogram',
    private readonly help: string,
  ) {}

  sample(labels: Labels, value: number, suffix = ''): this {
    this.lines.push(`${this.name}${suffix}${labelText(labels)} ${num(value)}`);
    return this;
  }

  /** Cumulative buckets, _sum and _count of the observations, per label set. */
  histogram(labels: Labels, observations: number[], buckets: number[]): this {
    for (const le of buckets) this.sample({ ...labels, le: String(le) }, observations.filter((o) => o <= le).length, '_bucket');
    this.sample({ ...labels, le: '+Inf' }, observations.length, '_bucket');
    this.sample(labels, observations.reduce((a, b) => a + b, 0), '_sum');
    return this.sample(labels, observations.length, '_count');
  }

  toString(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`, ...this.lines].join('\n');
  }
}

/**
 * Several expositions as one page: a family (its HELP and TYPE) appears once, with the samples
 * of every source under it. Sources must not repeat a series (the `dev` processes each carry
 * their own `process` label).
 */
export function mergeExpositions(pages: string[]): string {
  const families = new Map<string, { meta: string[]; samples: string[] }>();
  for (const page of pages) {
    let current = '';
    for (const line of page.split('\n')) {
      if (!line.trim()) continue;
      const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
      if (meta) {
        current = meta[2]!;
        const f = families.get(current) ?? families.set(current, { meta: [], samples: [] }).get(current)!;
        if (!f.meta.some((m) => m.startsWith(`# ${meta[1]} `))) f.meta.push(line);
        continue;
      }
      if (line.startsWith('#')) continue;
      // A sample without a family header gets its own (untyped) family.
      const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? line;
      if (!current || !name.startsWith(current)) current = name;
      const f = families.get(current) ?? families.set(current, { meta: [], samples: [] }).get(current)!;
      f.samples.push(line);
    }
  }
  return `${[...families.values()].map((f) => [...f.meta, ...f.samples].join('\n')).join('\n')}\n`;
}
