/**
 * Process facts from /proc (Linux): the tree under a pid, resident memory and CPU time. Used to
 * sample the server and its workers from outside, the way an operator's monitoring would.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessSample {
  pid: number;
  ppid: number;
  /** A short role name: api, worker, engine-host, ffmpeg, pocketsphinx, … */
  role: string;
  /** Resident set size now, bytes. */
  rssBytes: number;
  /** Peak resident set size over the process's life (VmHWM), bytes. */
  hwmBytes: number;
  /** utime + stime, seconds. */
  cpuSeconds: number;
  /** cutime + cstime: CPU of children that exited and were reaped (pocketsphinx runs, ffmpeg), seconds. */
  reapedChildrenCpuSeconds: number;
}

const CLOCK_TICKS = 100;

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // the process exited between listing and reading
  }
}

/** Names a process by its command line; `rootRole` for the tree's root. */
function roleOf(cmdline: string): string {
  const args = cmdline.split('\0');
  const exe = (args[0] ?? '').split('/').at(-1) ?? '';
  if (cmdline.includes('engine-host.main')) return 'engine-host';
  if (cmdline.includes('worker.main')) return 'worker';
  if (args.some((a) => a.endsWith('earshot.js'))) return 'api';
  if (exe.startsWith('pocketsphinx')) return 'pocketsphinx';
  return exe || 'unknown';
}

function sample(pid: number): ProcessSample | undefined {
  const stat = read(`/proc/${pid}/stat`);
  const status = read(`/proc/${pid}/status`);
  const cmdline = read(`/proc/${pid}/cmdline`);
  if (stat === undefined || status === undefined || cmdline === undefined) return undefined;
  // Fields after the parenthesised command name (which may itself contain spaces or parentheses).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const kb = (key: string): number =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return {
    pid,
    ppid: Number(fields[1]),
    role: roleOf(cmdline),
    rssBytes: kb('VmRSS'),
    hwmBytes: kb('VmHWM'),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
    reapedChildrenCpuSeconds: (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS,
  };
}

/** `root` and all its descendants, root first. */
export function processTree(root: number): ProcessSample[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
  }
  const out: ProcessSample[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    const s = sample(pid);
    if (!s) continue;
    out.push(s);
    queue.push(...(parents.get(pid) ?? []));
  }
  return out;
}

/** CPU seconds used by the tree so far: live processes plus the children they have reaped. */
export function treeCpuSeconds(root: number): number {
  return processTree(root).reduce((sum, p) => sum + p.cpuSeconds + p.reapedChildrenCpuSeconds, 0);
}
