import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EnvSchema } from '../../src/config';
import { DEFAULT_REGIME_THRESHOLDS } from '../../src/datasets/config';
import { MODEL_KINDS } from '../../src/models/modelKinds';
import { RunConfigSchema } from '../../src/pipeline/runConfig';
import { CONFIG_KEYS, PRODUCT_ENV, TEST_ENV, type EnvDoc } from './configDescriptions';

/** Where the product's code lives, and the tests' (their variables get a table of their own). */
export const PRODUCT_DIRS = ['src', 'worker', 'workflows', 'activities', 'schedules', 'bin'];
export const TEST_DIRS = ['tests'];

/**
 * The environment variables some code reads: `process.env.X`, `env.X` (a ProcessEnv passed in)
 * and `env['X']`. Writes such as `{ ...process.env, X: v }` are not reads and do not match.
 */
export function envVarsRead(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/\b(?:process\.env|env)(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)) names.add(m[1] ?? m[2]);
  return [...names].sort();
}

export function envVarsIn(root: string, dirs: string[]): string[] {
  const names = new Set<string>();
  for (const file of dirs.flatMap((d) => sourceFiles(join(root, d)))) envVarsRead(readFileSync(file, 'utf8')).forEach((n) => names.add(n));
  return [...names].sort();
}

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) return e === 'node_modules' || e === 'fixtures' ? [] : sourceFiles(p);
    return /\.(ts|mts|mjs|js)$/.test(e) ? [p] : [];
  });
}

/** One `--config` key: a leaf of the run config's `config` object. */
export interface ConfigKey {
  path: string;
  type: string;
  default: string;
}

/** Nested objects are walked; an object with a whole default of its own (a regime table) is one key. */
export function configKeys(): ConfigKey[] {
  const config = unwrap(RunConfigSchema.shape.config).schema;
  if (!(config instanceof z.ZodObject)) throw new Error('RunConfigSchema.config is not an object');
  const fallback: Record<string, Record<string, unknown>> = { 'dataset.regimeThresholds': { ...DEFAULT_REGIME_THRESHOLDS } };
  const out: ConfigKey[] = [];
  const walk = (o: z.ZodObject<z.ZodRawShape>, path: string[]) => {
    for (const [k, v] of Object.entries(o.shape)) {
      const u = unwrap(v);
      const p = [...path, k];
      const wholeDefault = u.hasDefault && u.default !== null && typeof u.default === 'object' && Object.keys(u.default).length > 0;
      if (u.schema instanceof z.ZodObject && !wholeDefault) walk(u.schema, p);
      else {
        const parentDefault = fallback[path.join('.')]?.[k];
        const dflt = u.hasDefault ? u.default : parentDefault;
        out.push({ path: p.join('.'), type: typeName(u.schema, u.nullable), default: u.hasDefault || parentDefault !== undefined ? shown(dflt) : u.optional || u.nullable ? 'unset' : 'required' });
      }
    }
  };
  walk(config as z.ZodObject<z.ZodRawShape>, []);
  return out;
}

/** A default as JSON; a list of named entries (the strategies) by its names, to keep the table readable. */
function shown(v: unknown): string {
  if (Array.isArray(v) && v.length > 3 && v.every((e) => e && typeof e === 'object' && 'name' in e)) return `${v.length} entries: ${v.map((e) => `\`${(e as { name: string }).name}\``).join(', ')}`;
  return `\`${JSON.stringify(v)}\``;
}

function unwrap(s: z.ZodTypeAny): { schema: z.ZodTypeAny; hasDefault: boolean; default?: unknown; nullable: boolean; optional: boolean } {
  const r: { schema: z.ZodTypeAny; hasDefault: boolean; default?: unknown; nullable: boolean; optional: boolean } = { schema: s, hasDefault: false, nullable: false, optional: false };
  for (;;) {
    const t = r.schema;
    if (t instanceof z.ZodDefault) {
      if (!r.hasDefault) Object.assign(r, { hasDefault: true, default: t._def.defaultValue() });
      r.schema = t._def.innerType;
    } else if (t instanceof z.ZodOptional) Object.assign(r, { optional: true, schema: t._def.innerType });
    else if (t instanceof z.ZodNullable) Object.assign(r, { nullable: true, schema: t._def.innerType });
    else if (t instanceof z.ZodEffects) r.schema = t._def.schema;
    else return r;
  }
}

function typeName(s: z.ZodTypeAny, nullable: boolean): string {
  const base =
    s instanceof z.ZodNumber ? (s.isInt ? 'integer' : 'number')
    : s instanceof z.ZodBoolean ? 'boolean'
    : s instanceof z.ZodString ? 'string'
    : s instanceof z.ZodEnum ? (s.options as string[]).map((o) => `\`${o}\``).join(' \\| ')
    : s instanceof z.ZodArray ? 'list'
    : s instanceof z.ZodRecord ? 'map'
    : s instanceof z.ZodObject ? 'object'
    : 'see description';
  return nullable ? `${base} or \`null\`` : base;
}

function envDefault(name: string, doc: EnvDoc | undefined): string {
  const field = (EnvSchema.shape as Record<string, z.ZodTypeAny>)[name];
  const u = field ? unwrap(field) : null;
  if (u?.hasDefault) return `\`${String(u.default)}\``;
  return doc?.default ?? 'unset';
}

/** The variables read and the keys defined, and which of them the descriptions miss or describe needlessly. */
export function configCoverage(root: string) {
  const product = [...new Set([...Object.keys(EnvSchema.shape), ...envVarsIn(root, PRODUCT_DIRS)])].sort();
  const tests = envVarsIn(root, TEST_DIRS).filter((n) => !product.includes(n));
  const keys = configKeys().map((k) => k.path);
  const libraryVars = Object.keys(PRODUCT_ENV).filter((n) => PRODUCT_ENV[n].library);
  return {
    product,
    tests,
    keys,
    undescribed: [...product.filter((n) => !(n in PRODUCT_ENV)), ...tests.filter((n) => !(n in TEST_ENV)), ...keys.filter((k) => !(k in CONFIG_KEYS))],
    unread: [...Object.keys(PRODUCT_ENV).filter((n) => !product.includes(n) && !libraryVars.includes(n)), ...Object.keys(TEST_ENV).filter((n) => !tests.includes(n)), ...Object.keys(CONFIG_KEYS).filter((k) => !keys.includes(k))],
  };
}

/** docs/configuration.md: every variable the code reads and every `--config` key, with defaults from the code. */
export function renderConfigReference(root: string): string {
  const c = configCoverage(root);
  const libraryVars = Object.keys(PRODUCT_ENV).filter((n) => PRODUCT_ENV[n].library);
  const envRows = (names: string[], docs: Record<string, EnvDoc>) => names.map((n) => `| \`${n}\` | ${cell(envDefault(n, docs[n]))} | ${cell(docs[n]?.text ?? '')} |`);
  const keys = configKeys();
  const lines = [
    '# Configuration',
    '',
    '<!-- Generated by `npm run docs:config` from src/config.ts, src/pipeline/runConfig.ts (with the dataset and ingest schemas it nests) and the',
    '     environment variables the code reads; the words are in scripts/docs/configDescriptions.ts. Do not edit: tests/unit/repo/configReference.test.ts',
    '     fails when this file, the code or the descriptions disagree. -->',
    '',
    'A process is configured by its environment; a run by its input, whose `config` object the',
    '`--config` option of `run`, `dev`, `evaluate` and `audit` overrides key by key (JSON). See the',
    `[CLI reference](cli.md) for the commands. Relative paths resolve against the working directory.`,
    '',
    '## Environment',
    '',
    '| Variable | Default | Meaning |',
    '| --- | --- | --- |',
    ...envRows([...new Set([...c.product, ...libraryVars])].sort(), PRODUCT_ENV),
    '',
    '### Read by the tests only',
    '',
    '| Variable | Default | Meaning |',
    '| --- | --- | --- |',
    ...envRows(c.tests, TEST_ENV),
    '',
    '## `--config` keys',
    '',
    'Validated by the run\'s first activity (`src/pipeline/runConfig.ts`): an invalid value fails the run',
    'with `InvalidConfigError`; a key not listed here is refused by the command that reads `--config`,',
    'naming its dotted path (`modelParams` and `ingest.maxDailyMove.bySymbol` take any key). Nested keys are',
    'written as JSON objects, e.g.',
    '`--config \'{"dataset":{"split":{"foldDays":756}},"modelParams":{"random_forest":{"nTrees":200}},"gate":{"alpha":0.01}}\'`.',
    `\`run --models\` picks the model kinds (${Object.keys(MODEL_KINDS).map((k) => `\`${k}\``).join(', ')}), the kinds \`modelParams\` takes.`,
    '',
    '| Key | Type | Default | Meaning |',
    '| --- | --- | --- | --- |',
    ...keys.map((k) => `| \`${k.path}\` | ${k.type} | ${cell(k.default)} | ${cell(CONFIG_KEYS[k.path] ?? '')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

function cell(s: string): string {
  // Outside code spans, <placeholders> would be read as HTML.
  return s
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 ? part : part.replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('')
    .replace(/\|/g, '\\|');
}
