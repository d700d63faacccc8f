/**
 * What /proc says of the processes under test and of the machine: CPU time of a process
 * or of a process tree, resident memory, and how busy the machine's CPUs are.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times (getconf CLK_TCK; 100 on Linux). */
export const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Stat {
  pid: number;
  ppid: number;
  /** utime + stime, in ticks */
  ticks: number;
  /** cutime + cstime: the time of its children that it has waited for (those that exited), in ticks */
  childTicks: number;
}

function stat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), childTicks: Number(fields[13]) + Number(fields[14]) };
  } catch {
    return null;
  }
}

/** CPU time of one process, in milliseconds. */
export function cpuMs(pid: number): number {
  const s = stat(pid);
  return s ? (s.ticks * 1000) / TICKS_PER_SECOND : 0;
}

/**
 * CPU time of a process and of all its descendants (PostgreSQL: the postmaster, its
 * backends and workers), in milliseconds, with the pids it counted. The descendants that
 * have exited count too, through the root's cutime + cstime (the postmaster reaps its
 * backends and autovacuum workers), so that the total only grows.
 */
export function treeCpuMs(root: number): { ms: number; pids: number[] } {
  const all: Stat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s) all.push(s);
  }
  const inTree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of all) {
      if (!inTree.has(s.pid) && inTree.has(s.ppid)) {
        inTree.add(s.pid);
        grew = true;
      }
    }
  }
  const reaped = all.find((s) => s.pid === root)?.childTicks ?? 0;
  const ticks = all.filter((s) => inTree.has(s.pid)).reduce((sum, s) => sum + s.ticks, reaped);
  return { ms: (ticks * 1000) / TICKS_PER_SECOND, pids: [...inTree] };
}

/** Resident memory of a process, in MiB (0 once it is gone). */
export function rssMiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The machine's CPU time so far, all CPUs together, in milliseconds: busy and total. */
export function machineCpuMs(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest times are inside user and nice)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: (busy * 1000) / TICKS_PER_SECOND, total: ((busy + idle + iowait) * 1000) / TICKS_PER_SECOND };
}

/** Samples a process's resident memory every `everyMs` until stopped; the peak. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number } {
  let peak = rssMiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMiB(pid));
    },
  };
}
