import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * What a unit test may not import directly: whatever starts a process, opens a socket, reaches
 * a server or drives a browser. Tests that need one belong in tests/integration.
 */
const STARTERS = [
  /^(node:)?(child_process|net|http|https|http2|dgram|tls|cluster|worker_threads)$/,
  /^(playwright-core|@temporalio\/testing|pg)$/,
  /\/helpers\/(chromium|cliProcess|workerProcess|temporalProcess|temporal|stack|postgres|otlpReceiver|webhookReceiver|tcpProxy|lockContender)$/,
  /\/src\/(temporal\/devServer|temporal\/temporalCli|temporal\/buildId|db\/embedded\/wireServer|ops\/metricsServer|util\/freePort|cli\/trainingWorkers|cli\/auditJobs)$/,
];

/** The modules a file imports (static, dynamic and side-effect imports; `import type` starts nothing). */
function importsOf(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/^\s*import\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) out.push(m[1]);
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

function startersIn(files: { name: string; source: string }[]): string[] {
  return files.flatMap(({ name, source }) => importsOf(source).filter((s) => STARTERS.some((r) => r.test(s))).map((s) => `${name}: ${s}`));
}

const testFiles = (dir: string): string[] => readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? testFiles(join(dir, e)) : e.endsWith('.ts') ? [join(dir, e)] : []));

describe('tests/unit', () => {
  it('imports nothing that starts a process, a socket, a server or a browser (those tests live in tests/integration)', () => {
    const files = testFiles('tests/unit').map((f) => ({ name: relative('.', f), source: readFileSync(f, 'utf8') }));
    expect(files.length).toBeGreaterThan(10);
    expect(startersIn(files)).toEqual([]);
  });

  it('would name a test that does (the check bites)', () => {
    const source = [
      "import { spawn } from 'node:child_process';",
      "import type { Server } from 'node:http';",
      "import { withChromiumPage } from '../../helpers/chromium';",
      "import { parseRunConfig } from '../../../src/pipeline/runConfig';",
      // IMPORT: spelled so that scanning this file finds no dynamic import in it.
      "const { startDevServer } = await IMPORT('../../src/temporal/devServer');",
    ]
      .join('\n')
      .replace('IMPORT(', 'import(');
    expect(startersIn([{ name: 'x.test.ts', source }])).toEqual(['x.test.ts: node:child_process', 'x.test.ts: ../../helpers/chromium', 'x.test.ts: ../../src/temporal/devServer']);
  });
});

/** Where a unit test may live: the folder of the src/ part it tests (src/errors.ts: errors/), activities/, or repo/. */
function misplaced(files: string[]): string[] {
  return files.filter((f) => {
    const dir = relative('tests/unit', dirname(f));
    if (dir === 'repo' || dir === 'activities') return false;
    return dir === '' || !(existsSync(join('src', dir)) || existsSync(join('src', `${dir}.ts`)));
  });
}

describe('tests/unit names follow src/', () => {
  it('every unit test sits in the folder of the part of src/ it tests', () => {
    const files = testFiles('tests/unit');
    expect(files.length).toBeGreaterThan(40);
    expect(misplaced(files)).toEqual([]);
  });

  it('would name one that does not', () => {
    expect(misplaced(['tests/unit/gate.test.ts', 'tests/unit/evaluation/gates/x.test.ts', 'tests/unit/evaluation/gate/x.test.ts', 'tests/unit/repo/x.test.ts'])).toEqual(['tests/unit/gate.test.ts', 'tests/unit/evaluation/gates/x.test.ts']);
  });
});
