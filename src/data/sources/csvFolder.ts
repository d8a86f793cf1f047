import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidMarketDataError } from '../../errors';
import { REQUIRED_SYMBOLS } from '../bars';
import { parseBarsCsv } from '../csvParser';
import type { FetchRequest, MarketSource, SourceBatch } from './types';

/**
 * One CSV per symbol. The symbol -> file mapping is exact (`VIX` -> `VIX.csv`, or an explicit
 * map): never a prefix or substring match, which is how "VIX" ends up reading VIXY.csv.
 */
export class CsvFolderSource implements MarketSource {
  constructor(
    readonly dir: string,
    readonly feed: string,
    private readonly files: Record<string, string> = {},
  ) {}

  async fetch(req: FetchRequest): Promise<SourceBatch[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      throw new InvalidMarketDataError({ file: this.dir }, `cannot read CSV folder: ${(e as Error).message}`);
    }
    const out: SourceBatch[] = [];
    for (const symbol of req.symbols) {
      const wanted = this.files[symbol] ?? `${symbol}.csv`;
      const name = names.find((n) => n === wanted) ?? names.find((n) => n.toLowerCase() === wanted.toLowerCase());
      if (!name) {
        if (REQUIRED_SYMBOLS.includes(symbol)) {
          throw new InvalidMarketDataError({ file: join(this.dir, wanted) }, `required series ${symbol} not found in ${this.dir}`);
        }
        continue; // optional series (a sector, a stock, PCR) may be absent
      }
      const file = join(this.dir, name);
      const { bars, lines } = parseBarsCsv(await readFile(file, 'utf8'), file);
      // Whole file: a bad row after `until` still means a bad file; ingest clips after validating.
      out.push({ symbol, bars, origin: { file, lines } });
    }
    return out;
  }
}
