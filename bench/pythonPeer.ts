import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Runs a Python benchmark peer (Debian's /usr/bin/python3) with OpenBLAS on its native kernel
 * for this CPU: the two variables that pin it to Haswell with a small L2 are unset for the
 * child only (never for this process, the tests or CI).
 */
export function runPythonPeer(script: string, args: string[]): SpawnSyncReturns<string> {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return spawnSync('/usr/bin/python3', [resolve(script), ...args], { encoding: 'utf8', env });
}
