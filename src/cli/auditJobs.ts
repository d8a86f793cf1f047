import { spawn } from 'node:child_process';

/** This command line without the flags a child run sets itself. */
function childArgs(trials: number, first: number): string[] {
  const drop = new Set(['--trials', '--first-trial', '--jobs']);
  const args: string[] = [];
  const given = process.argv.slice(2);
  for (let i = 0; i < given.length; i++) {
    const [flag] = given[i].split('=');
    if (drop.has(flag)) {
      if (!given[i].includes('=')) i++; // skip its value
      continue;
    }
    if (flag === '--record' || flag === '--json') continue;
    args.push(given[i]);
  }
  return [...args, '--trials', String(trials), '--first-trial', String(first), '--jobs', '1', '--json'];
}

function runChild(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    // The same runtime and loader as this process (tsx under `npm run cli`, the bin's register() otherwise).
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`audit child (${args.join(' ')}) exited with ${code}`));
      try {
        resolve(JSON.parse(last) as Record<string, unknown>);
      } catch {
        reject(new Error(`audit child printed no JSON: ${last.slice(0, 200)}`));
      }
    });
  });
}

/**
 * Runs an audit's trials [first, first + trials) in `jobs` child processes of this same command
 * (each with `--first-trial`/`--trials` for its share), and returns their results in trial
 * order. Trials are seeded by their number, so the split never changes a result.
 */
export async function trialsInChildren<T extends { trial: number }>(o: { trials: number; first: number; jobs: number }, resultsOf: (childJson: Record<string, unknown>) => T[]): Promise<T[]> {
  const jobs = Math.min(o.jobs, o.trials);
  const shares = Array.from({ length: jobs }, (_, j) => {
    const from = o.first + Math.floor((j * o.trials) / jobs);
    const to = o.first + Math.floor(((j + 1) * o.trials) / jobs);
    return { from, count: to - from };
  }).filter((s) => s.count > 0);
  const outs = await Promise.all(shares.map((s) => runChild(childArgs(s.count, s.from))));
  return outs.flatMap(resultsOf).sort((a, b) => a.trial - b.trial);
}
