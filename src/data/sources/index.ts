import { CsvFolderSource } from './csvFolder';
import { PlantedSignalSource } from './plantedSignal';
import { SyntheticMarketSource } from './syntheticMarket';
import { YahooChartSource } from './yahooChart';
import { feedOf, type MarketSource, type SourceSpec } from './types';

export * from './types';

export function createSource(spec: SourceSpec): MarketSource {
  const feed = feedOf(spec);
  switch (spec.kind) {
    case 'synthetic':
      return spec.planted ? new PlantedSignalSource(new SyntheticMarketSource(feed, spec.seed ?? 42, spec.start, spec.stocks), feed, spec.planted, undefined, spec.plantedShape) : new SyntheticMarketSource(feed, spec.seed ?? 42, spec.start, spec.stocks);
    case 'csv':
      return new CsvFolderSource(spec.dir, feed, spec.files, spec.cashRateFile);
    case 'online':
      return new YahooChartSource(feed, spec.start);
  }
}
