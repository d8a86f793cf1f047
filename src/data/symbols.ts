import { z } from 'zod';
import { InvalidConfigError } from '../errors';

/**
 * Symbol names come from people (config, `--symbols`, universe files) and from file names, and
 * end up in SQL parameters, file paths, HTML reports and logs. Only tickers get through:
 * letters, digits, `.`, `-`, `^` (BRK.B, BF-B, ^VIX), starting with a letter, digit or `^`
 * (so never `.` or `..`), 1–15 characters. Names are upper-cased: `brk.b` is BRK.B.
 */
export const SYMBOL_MAX_LENGTH = 15;
const SYMBOL_PATTERN = /^[A-Za-z0-9^][A-Za-z0-9.\-^]{0,14}$/;

export function isValidSymbol(name: string): boolean {
  return SYMBOL_PATTERN.test(name);
}

/**
 * An untrusted name made safe to print in a message, a log line or HTML: JSON-quoted, with
 * everything outside [A-Za-z0-9 ._-] written as \uXXXX and long names cut. Nothing it returns
 * contains `<`, `>`, `&`, quotes inside the value, slashes or control characters.
 */
export function quoteUntrusted(name: string, max = 60): string {
  const cut = name.length > max ? `${name.slice(0, max)}…` : name;
  const escaped = [...cut].map((c) => (/[A-Za-z0-9 ._\-…]/.test(c) ? c : `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`)).join('');
  return `"${escaped}"`;
}

/** The canonical (upper-case) symbol, or an InvalidConfigError naming where it came from. */
export function checkSymbol(name: string, where: string): string {
  const s = name.trim();
  if (!isValidSymbol(s)) {
    throw new InvalidConfigError(
      `${where}: invalid symbol ${quoteUntrusted(s)}: ${SYMBOL_RULE}`,
    );
  }
  return s.toUpperCase();
}

/** Deduplicates while keeping the first occurrence's position. */
export function uniqueSymbols(list: string[]): string[] {
  return [...new Set(list)];
}

/**
 * A universe file: one symbol per line; `#` starts a comment; blank lines are ignored. A bad
 * line is an error naming the file and line.
 */
export function parseUniverseFile(text: string, file: string): string[] {
  const out: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    out.push(checkSymbol(line, `${file}, line ${i + 1}`));
  });
  if (out.length === 0) throw new InvalidConfigError(`${file}: the universe file lists no symbols`);
  return uniqueSymbols(out);
}

/** What `--symbols` / `dataset.signal.symbols` select: an explicit list, or every file present. */
export type SymbolSelection = string[] | 'all';

const SYMBOL_RULE = `use letters, digits, ".", "-" or "^", starting with a letter, digit or "^", at most ${SYMBOL_MAX_LENGTH} characters`;

/** `dataset.signal.symbols`: "all" or a non-empty list of valid symbols (upper-cased, deduplicated). */
export const SymbolSelectionSchema = z.unknown().transform((v, ctx): SymbolSelection => {
  if (v === 'all') return 'all';
  if (!Array.isArray(v) || v.length === 0) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be "all" or a non-empty list of symbols' });
    return z.NEVER;
  }
  const out: string[] = [];
  v.forEach((s, i) => {
    if (typeof s === 'string' && isValidSymbol(s.trim())) out.push(s.trim().toUpperCase());
    else ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i], message: `invalid symbol: ${SYMBOL_RULE}` });
  });
  return uniqueSymbols(out);
});

/**
 * Parses `--symbols`: `A,B,C`, `@file` (a universe file, read by `readText`) or `all`.
 * The result is what goes into `dataset.signal.symbols`.
 */
export async function parseSymbolsArgument(arg: string, readText: (file: string) => Promise<string>): Promise<SymbolSelection> {
  const v = arg.trim();
  if (v.toLowerCase() === 'all') return 'all';
  if (v.startsWith('@')) {
    const file = v.slice(1);
    if (file === '') throw new InvalidConfigError('--symbols @FILE needs a file name after "@"');
    let text: string;
    try {
      text = await readText(file);
    } catch (e) {
      throw new InvalidConfigError(`--symbols ${quoteUntrusted(v)}: cannot read the universe file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return parseUniverseFile(text, file);
  }
  const parts = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new InvalidConfigError('--symbols lists no symbols (use A,B,C, @FILE or all)');
  return uniqueSymbols(parts.map((p) => checkSymbol(p, '--symbols')));
}
