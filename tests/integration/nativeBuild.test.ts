import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NATIVE_ADDON_PATH, nativeStatus } from '../../src/models/trm/engine/kernels';

// The install path of the native TRM engine: scripts/buildNative.mjs (npm's install script)
// never fails an install, and without the addon the TRM trains on WebAssembly.
const tsx = resolve('node_modules/.bin/tsx');
const smoke = (env: NodeJS.ProcessEnv) => {
  const r = spawnSync(tsx, ['scripts/trmSmoke.ts'], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { backend: string; engine: string; accuracy: number; native: boolean };
};

describe('native build and the WebAssembly fallback', () => {
  it('without a compiler, or with the build disabled, the install script exits 0, says why and leaves the addon alone', () => {
    const before = existsSync(NATIVE_ADDON_PATH) ? statSync(NATIVE_ADDON_PATH).mtimeMs : null;
    for (const env of [{ CC: '/nonexistent/cc' }, { TRM_NATIVE_BUILD: '0' }]) {
      const r = spawnSync(process.execPath, ['scripts/buildNative.mjs'], { encoding: 'utf8', env: { ...process.env, ...env } });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/native TRM engine: (no C compiler|build disabled).*WebAssembly engine/);
    }
    expect(existsSync(NATIVE_ADDON_PATH) ? statSync(NATIVE_ADDON_PATH).mtimeMs : null).toBe(before);
  });

  it('a compile error is reported and the install still succeeds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-'));
    try {
      // A "compiler" that answers --version and then fails every compile.
      const cc = join(dir, 'cc');
      writeFileSync(cc, '#!/bin/sh\n[ "$1" = --version ] && exit 0\necho "cc: internal error" >&2\nexit 1\n');
      chmodSync(cc, 0o755);
      const before = existsSync(NATIVE_ADDON_PATH) ? statSync(NATIVE_ADDON_PATH).mtimeMs : null;
      const r = spawnSync(process.execPath, ['scripts/buildNative.mjs'], { encoding: 'utf8', env: { ...process.env, CC: cc } });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/native TRM engine: compile failed[\s\S]*cc: internal error[\s\S]*WebAssembly engine/);
      expect(existsSync(NATIVE_ADDON_PATH) ? statSync(NATIVE_ADDON_PATH).mtimeMs : null).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with the addon unavailable the TRM trains on WebAssembly and says so', () => {
    const out = smoke({ TRM_NATIVE_DISABLE: '1', TRM_ENGINE: '' });
    expect(out).toMatchObject({ backend: 'wasm-simd', engine: 'wasm', native: false });
    expect(out.accuracy).toBeGreaterThan(0.75);
    const forced = spawnSync(tsx, ['scripts/trmSmoke.ts'], { encoding: 'utf8', env: { ...process.env, TRM_NATIVE_DISABLE: '1', TRM_ENGINE: 'native' }, timeout: 120_000 });
    expect(forced.status).not.toBe(0);
    expect(forced.stderr).toMatch(/TRM_ENGINE=native, but the native TRM engine is disabled/);
  }, 120_000);

  it.skipIf((!nativeStatus().available || nativeStatus().isa === 'sse2') && process.env.TRM_ENGINE !== 'native')('where the addon is built (AVX2 or AVX-512) the TRM trains natively by default', () => {
    const out = smoke({ TRM_ENGINE: '' });
    expect(out.backend).toMatch(/^native-(avx512|avx2|sse2)$/);
    expect(out.accuracy).toBeGreaterThan(0.75);
  }, 120_000);
});
