import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEMPORAL_CLI_MODULE, TEMPORAL_CLI_VERSION, findTemporalCli } from '../../src/temporal/temporalCli';
import { embeddedEnv, freePort, runCli, startCli, type CliProcess } from '../helpers/cliProcess';

/**
 * `npm start` on a machine with no `temporal` anywhere and no internet (the SDK's download
 * fails here): with Go, it builds the pinned CLI into DATA_DIR/bin once (a fake `go` records
 * its call and links the real binary), and the next start reuses it; without Go, two lines
 * on what to install, exit 1, no stack trace.
 */
const realCli = findTemporalCli(process.env.TEMPORAL_CLI_PATH);
const dirs: string[] = [];
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function bareEnv(dataDir: string, pathDir: string): Promise<NodeJS.ProcessEnv> {
  const env = embeddedEnv({ DATA_DIR: dataDir, REPORTS_DIR: join(dataDir, 'reports'), PATH: pathDir, GOPATH: tmp('rr-gopath-'), TEMPORAL_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()), WORKER_MAX_CONCURRENT_ACTIVITIES: '1' });
  delete env.TEMPORAL_CLI_PATH;
  return env;
}

async function startsThenStops(env: NodeJS.ProcessEnv): Promise<string> {
  const dev: CliProcess = startCli(['dev', '--no-run'], env);
  try {
    await dev.waitForOutput(/Temporal dev server started/, 240_000);
    await dev.waitForOutput(/schedule ready/, 120_000);
  } finally {
    dev.child.kill('SIGINT');
  }
  const exit = await dev.exited;
  expect(exit.code, dev.output().slice(-2000)).toBe(0);
  return dev.output();
}

describe.skipIf(!realCli && !process.env.CI)('the Temporal CLI when none is installed', () => {
  it('builds it once with Go (visible progress), reuses the build, and without Go says what to install in two lines', async () => {
    const goDir = tmp('rr-fakego-');
    const calls = join(goDir, 'calls.log');
    writeFileSync(join(goDir, 'go'), `#!/bin/sh\necho "$* GOBIN=$GOBIN" >> '${calls}'\n/bin/ln -s '${realCli}' "$GOBIN/temporal"\n`);
    chmodSync(join(goDir, 'go'), 0o755);
    const dataDir = tmp('rr-nocli-');
    const env = await bareEnv(dataDir, goDir);

    const first = await startsThenStops(env);
    expect(first).toMatch(/Temporal CLI download failed/);
    expect(first).toContain(`building ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} with ${join(goDir, 'go')} into ${join(dataDir, 'bin')}`);
    expect(first).toContain(`"executable":"${join(dataDir, 'bin', 'temporal')}"`);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual([`install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} GOBIN=${join(dataDir, 'bin')}`]);

    const second = await startsThenStops(await bareEnv(dataDir, goDir));
    expect(second).not.toMatch(/building|download failed/);
    expect(second).toContain(`"executable":"${join(dataDir, 'bin', 'temporal')}"`);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toHaveLength(1); // cached: no second build

    // No Go either: two lines, exit 1, no trace.
    const noGo = await runCli(['dev', '--no-run'], await bareEnv(tmp('rr-nogo-'), tmp('rr-emptypath-')), 240_000);
    expect(noGo.code, noGo.stderr).toBe(1);
    const lines = noGo.stderr.trim().split('\n').filter((l) => !l.startsWith('{') && !l.startsWith('Temporal CLI download failed'));
    expect(lines, noGo.stderr).toHaveLength(2);
    expect(lines[0]).toMatch(/^No Temporal CLI: none on PATH, in TEMPORAL_CLI_PATH or DATA_DIR\/bin, and its download failed .*Go is not installed/);
    expect(lines[1]).toMatch(/^Install it \(https:\/\/github.com\/temporalio\/cli\/releases.*go install github.com\/temporalio\/cli\/cmd\/temporal@v1.5.1/);
    expect(noGo.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(dirs.at(-2)!, 'bin', 'temporal'))).toBe(false);
  }, 600_000);
});
