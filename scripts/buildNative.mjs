#!/usr/bin/env node
// Builds the native TRM engine (native/trm_native.c, a Node-API addon) with the machine's C
// compiler. Run by `npm install`/`npm ci` (the root package's own install script) and by
// `npm run build:native`. It never fails the install: with no compiler, no Node headers, a
// failed compile or an addon that does not load, it says why and exits 0, and the TRM runs on
// its WebAssembly engine. TRM_NATIVE_BUILD=0 skips the build (the wasm-only install CI tests).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'trm_native.c');
const outDir = join(root, 'native', 'build');
const out = join(outDir, 'trm_native.node');
const say = (msg) => console.log(`native TRM engine: ${msg}`);

function skip(reason) {
  say(`${reason}; the TRM will use its WebAssembly engine`);
  process.exit(0);
}

function headerDir() {
  const candidates = [
    process.env.NODE_API_INCLUDE_DIR,
    join(dirname(process.execPath), '..', 'include', 'node'),
    join(homedir(), '.cache', 'node-gyp', process.versions.node, 'include', 'node'),
  ].filter(Boolean);
  return candidates.find((d) => existsSync(join(d, 'node_api.h'))) ?? null;
}

function main() {
  if (process.env.TRM_NATIVE_BUILD === '0') skip('build disabled (TRM_NATIVE_BUILD=0)');
  if (process.platform !== 'linux' && process.platform !== 'darwin') skip(`no build recipe for ${process.platform}`);
  if (process.arch !== 'x64') skip(`the kernels are x86-64 (AVX-512 / AVX2 / SSE2); this is ${process.arch}`);
  if (!existsSync(source)) skip(`${source} missing`);
  const cc = process.env.CC || 'cc';
  const probe = spawnSync(cc, ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) skip(`no C compiler ("${cc}" not found)`);
  const include = headerDir();
  if (!include) skip('no Node-API headers (node_api.h) beside this Node or in the node-gyp cache');
  mkdirSync(outDir, { recursive: true });
  const tmp = join(outDir, `trm_native.${process.pid}.tmp.node`);
  const args = ['-O3', '-std=gnu11', '-fPIC', '-shared', '-fvisibility=hidden', `-I${include}`, source, '-o', tmp, '-lm'];
  if (process.platform === 'darwin') args.push('-undefined', 'dynamic_lookup');
  const built = spawnSync(cc, args, { encoding: 'utf8' });
  if (built.status !== 0) {
    rmSync(tmp, { force: true });
    skip(`compile failed (${cc} ${args.join(' ')}):\n${built.stderr}`);
  }
  // Load it in a fresh process before putting it in place: a broken addon must not replace
  // a working one nor make the engine selection fail.
  const check = spawnSync(process.execPath, ['-e', `const a = require(${JSON.stringify(tmp)}); if (!a.Memory || !a.isa) process.exit(1); console.log(a.isa)`], { encoding: 'utf8' });
  if (check.status !== 0) {
    rmSync(tmp, { force: true });
    skip(`built, but it does not load: ${check.stderr.trim().split('\n').pop()}`);
  }
  renameSync(tmp, out);
  say(`built ${out} (${check.stdout.trim()} kernels on this CPU)`);
}

try {
  main();
} catch (e) {
  skip(`build error: ${e instanceof Error ? e.message : String(e)}`);
}
