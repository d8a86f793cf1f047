import type { Command } from 'commander';
import { writeStudyPage } from '../reports/studyPage';
import { parseArms } from '../study/arms';
import { runStudy, studyJson } from '../study/runStudy';
import { isIsoDate } from '../util/dates';
import { datasetFor, progress, protocolOptions } from './evaluateCommand';
import { sourceOption } from './sourceOption';

/** `study`: does the regime-aware weekly policy pay, on the user's own data (offline, one process). */
export function registerStudyCommand(program: Command): void {
  protocolOptions(program.command('study').description('compare training policies, retraining cadences and gate policies on the purged walk-forward protocol, with paired bootstrap CIs per regime'))
    .requiredOption('--arms <list>', 'comma-separated arms: plain,weights,balanced,archive,uniqueness,default, cadence:weekly|monthly|quarterly|yearly|once, policy:gated|always|never|baseline')
    .option('--from <date>', 'first decision day of the cadence and policy arms (YYYY-MM-DD)')
    .option('--html <file>', 'write a page with per-regime bars with CIs and the equity curves')
    .action(async (o) => {
      const arms = parseArms(o.arms);
      if (o.from !== undefined && !isIsoDate(o.from)) throw new Error(`--from "${o.from}" is not a YYYY-MM-DD date`);
      const started = Date.now();
      const { cfg, ds } = await datasetFor(o, sourceOption(o));
      const doc = await runStudy(ds, cfg, { arms, from: o.from, onProgress: progress(o.json) });
      if (o.html) await writeStudyPage(o.html, doc);
      if (o.json) console.log(JSON.stringify(studyJson(doc)));
      else {
        console.log(`${doc.task} as of ${doc.asOf}${doc.from ? ` from ${doc.from}` : ''}, ${doc.arms.length} arms, ${((Date.now() - started) / 1000).toFixed(0)} s`);
        for (const v of doc.verdicts) console.log(`- ${v}`);
      }
    });
}
