import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { DEFAULT_SIGNAL_SYMBOLS } from '../data/bars';
import { OnBadRowSchema } from '../data/checkPolicy';
import { parseSymbolsArgument, type SymbolSelection } from '../data/symbols';
import { withSignalSymbols } from './runInput';
import { unknownOverrideKeys } from '../pipeline/runConfig';

/** `--symbols A,B,C` / `@FILE` / `all` (none: the default signal symbols). */
export async function symbolsOption(arg: string | undefined): Promise<SymbolSelection> {
  return arg === undefined ? DEFAULT_SIGNAL_SYMBOLS : parseSymbolsArgument(arg, (f) => readFile(f, 'utf8'));
}

/** The flags that feed a command's run-config overrides (every command that reads a source has them). */
export interface ConfigFlags {
  /** `--config JSON`: overrides as `run` takes them ({"dataset":…,"ingest":…,"gate":…}). */
  config?: string;
  /** `--symbols A,B,C | @FILE | all`: `dataset.signal.symbols`. */
  symbols?: string;
  /** `--on-bad-row reject|quarantine`: `ingest.onBadRow`. */
  onBadRow?: string;
}

/** `--on-bad-row` merged into overrides as `ingest.onBadRow` (the flag wins over --config). */
export function withOnBadRow(config: Record<string, unknown> | undefined, onBadRow: string | undefined): Record<string, unknown> | undefined {
  if (onBadRow === undefined) return config;
  const mode = OnBadRowSchema.safeParse(onBadRow);
  if (!mode.success) throw new InvalidArgumentError(`--on-bad-row must be reject or quarantine, got "${onBadRow}"`);
  const base = config ?? {};
  return { ...base, ingest: { ...((base.ingest ?? {}) as Record<string, unknown>), onBadRow: mode.data } };
}

/**
 * The one way a command turns its flags into run-config overrides: `--config` parsed, then
 * `--symbols` and `--on-bad-row` laid over it. `run`, `schedule create`, `evaluate`, `audit`
 * and `data validate|ingest` all call this, so `ingest` in `--config` (or `--on-bad-row`)
 * means the same thing everywhere a source is read.
 */
export async function configFromFlags(o: ConfigFlags): Promise<Record<string, unknown> | undefined> {
  let config: Record<string, unknown> | undefined;
  if (o.config !== undefined) {
    try {
      config = JSON.parse(o.config) as Record<string, unknown>;
    } catch (e) {
      throw new InvalidArgumentError(`--config is not valid JSON: ${(e as Error).message}`);
    }
    if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new InvalidArgumentError('--config must be a JSON object');
    const unknown = unknownOverrideKeys(config);
    if (unknown.length > 0) throw new InvalidArgumentError(`--config has unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (docs/configuration.md lists every key)`);
  }
  config = withSignalSymbols(config, o.symbols === undefined ? undefined : await symbolsOption(o.symbols));
  return withOnBadRow(config, o.onBadRow);
}
