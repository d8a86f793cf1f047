import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidConfigError, InvalidMarketDataError } from '../../errors';
import { REQUIRED_SYMBOLS } from '../bars';
import { parseBarsCsv } from '../csvParser';
import { DISTRIBUTIONS_FILE, distributionsFileName, parseDistributionsCsv, withDistributions } from '../distributions';
import { parseFredCsv, type RateSeries } from '../rates';
import { checkSymbol, isValidSymbol, quoteUntrusted } from '../symbols';
import type { FetchRequest, MarketSource, SourceBatch, SymbolListing } from './types';

const CSV = /\.csv$/i;

/**
 * One CSV per symbol, and optionally `<SYMBOL>.dividends.csv` beside it (its distributions:
 * `ex_date,amount`), read with it. The symbol -> file mapping is exact (`VIX` -> `VIX.csv`, or an explicit
 * map): never a prefix or substring match, which is how "VIX" ends up reading VIXY.csv.
 * A file that cannot be parsed comes back as that symbol's error, so a check can report every
 * bad file at once; only an unreadable folder fails the whole fetch.
 */
export class CsvFolderSource implements MarketSource {
  constructor(
    readonly dir: string,
    readonly feed: string,
    private readonly files: Record<string, string> = {},
    /** A FRED-format cash-rate file; default: DTB3.csv in the folder when present. */
    private readonly cashRateFile?: string,
  ) {
    for (const [symbol, file] of Object.entries(files)) {
      checkSymbol(symbol, 'source.files');
      // A mapped file is a name inside the folder, never a path out of it.
      if (!/^[A-Za-z0-9^][A-Za-z0-9.\-^_ ]*$/.test(file)) throw new InvalidConfigError(`source.files.${symbol}: ${quoteUntrusted(file)} is not a plain file name in the folder`);
    }
  }

  private async names(): Promise<string[]> {
    try {
      return await readdir(this.dir);
    } catch (e) {
      throw new InvalidMarketDataError({ file: this.dir }, `cannot read CSV folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }

  async fetch(req: FetchRequest): Promise<SourceBatch[]> {
    const names = await this.names();
    const out: SourceBatch[] = [];
    for (const symbol of req.symbols) {
      checkSymbol(symbol, 'requested symbols');
      const wanted = this.files[symbol] ?? `${symbol}.csv`;
      const name = names.find((n) => n === wanted) ?? names.find((n) => n.toLowerCase() === wanted.toLowerCase());
      if (!name) {
        const file = join(this.dir, wanted);
        if (REQUIRED_SYMBOLS.includes(symbol)) {
          out.push({ symbol, bars: [], origin: { file }, error: new InvalidMarketDataError({ file }, `required series ${symbol} not found in ${this.dir}`) });
        } else out.push({ symbol, bars: [], origin: { file }, missing: true });
        continue;
      }
      const file = join(this.dir, name);
      try {
        const parsed = parseBarsCsv(await readFile(file, 'utf8'), file);
        // A distribution record beside the price file makes the series total-return (src/data/totalReturn.ts).
        const wantedDist = distributionsFileName(symbol);
        const dist = names.find((n) => n === wantedDist) ?? names.find((n) => n.toLowerCase() === wantedDist.toLowerCase());
        const bars = dist && parsed.bars.length > 0 ? withDistributions(parsed.bars, parseDistributionsCsv(await readFile(join(this.dir, dist), 'utf8'), join(this.dir, dist))) : parsed.bars;
        // Whole file: a bad row after `until` still means a bad file; ingest clips after validating.
        out.push({ symbol, bars, origin: { file, lines: parsed.lines }, whole: true });
      } catch (e) {
        if (!(e instanceof InvalidMarketDataError)) throw e;
        out.push({ symbol, bars: [], origin: { file }, error: e });
      }
    }
    return out;
  }

  /** The cash-rate series: the configured file, else DTB3.csv in the folder, else none. */
  async cashRates(): Promise<RateSeries | null> {
    let file = this.cashRateFile;
    if (!file) {
      const name = (await this.names()).find((n) => n.toUpperCase() === 'DTB3.CSV');
      if (!name) return null;
      file = join(this.dir, name);
    }
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new InvalidMarketDataError({ file }, `cannot read the cash-rate file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return parseFredCsv(text, file);
  }

  /** Every `<SYMBOL>.csv` (and mapped file) present; names that are not valid symbols are skipped. */
  async listSymbols(): Promise<SymbolListing> {
    const listing: SymbolListing = { symbols: Object.keys(this.files).map((s) => s.toUpperCase()), skipped: [] };
    for (const name of (await this.names()).sort()) {
      // A distribution record (`TLT.dividends.csv`) belongs to its symbol's price file: never a symbol.
      if (!CSV.test(name) || DISTRIBUTIONS_FILE.test(name) || Object.values(this.files).includes(name)) continue;
      const base = name.replace(CSV, '');
      if (!isValidSymbol(base)) {
        listing.skipped.push({ name: quoteUntrusted(name), reason: 'the file name is not a valid symbol (letters, digits, ".", "-", "^"; at most 15)' });
        continue;
      }
      const symbol = base.toUpperCase();
      if (!listing.symbols.includes(symbol)) listing.symbols.push(symbol);
    }
    return listing;
  }
}
