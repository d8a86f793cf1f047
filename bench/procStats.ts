import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) of a process, from /proc: wall time on a shared machine says little. */
export function cpuSecondsOf(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** Peak resident set size of a process in bytes (VmHWM), NaN when /proc does not say. */
export function peakRssOf(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** A process and its live descendants (a plain worker and its activity processes), parent first. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited while we looked
    }
  }
  const out: number[] = [];
  const todo = [pid];
  while (todo.length > 0) {
    const p = todo.shift()!;
    out.push(p);
    todo.push(...(children.get(p) ?? []));
  }
  return out;
}

/** CPU seconds of a process and every live descendant. */
export function treeCpuSecondsOf(pid: number): number {
  return processTree(pid).reduce((a, p) => {
    try {
      return a + cpuSecondsOf(p);
    } catch {
      return a; // exited meanwhile
    }
  }, 0);
}

/** The largest peak RSS in a process tree, in bytes (each process holds its own copy of the dataset). */
export function treePeakRssOf(pid: number): number {
  return Math.max(
    ...processTree(pid).map((p) => {
      try {
        return peakRssOf(p);
      } catch {
        return NaN;
      }
    }).filter((v) => Number.isFinite(v)),
  );
}
