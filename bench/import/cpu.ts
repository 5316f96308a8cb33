// CPU time, in seconds of one core, for run.ts: what the bench's finished child processes used (psql, the
// rollcall CLI), what the bench process itself used (the INSERT loops' client), and what the database server used
// (every process of it, the ones that exited included). Read from Linux's /proc, so it is measured only where the
// server runs on this machine; elsewhere every reading is undefined and the report leaves the CPU columns out.
import { readdirSync, readFileSync } from 'node:fs';

const ticks = 100; // USER_HZ: the unit of /proc/PID/stat's times on every Linux architecture

/** The fields of /proc/PID/stat after the command name (which may hold spaces), so field N is at index N - 3. */
function statFields(pid: number | 'self'): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const field = (fields: readonly string[], n: number): number => Number(fields[n - 3]);

/** User plus system time of the bench's children that have exited and been waited for. */
export function childrenCpu(): number | undefined {
  const fields = statFields('self');
  return fields === undefined ? undefined : (field(fields, 16) + field(fields, 17)) / ticks;
}

/** The bench process's own user plus system time (the pg client of the INSERT loops). */
export function ownCpu(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** The server's processes: the postmaster, found as the parent of a backend of ours. */
export interface Server {
  readonly postmaster: number;
}

/**
 * The server, when its processes are this machine's: the backend's process id must name a `postgres` process
 * here whose parent is `postgres` too (a server in a container or on another host has ids of its own).
 */
export function findServer(backendPid: number): Server | undefined {
  const fields = statFields(backendPid);
  if (fields === undefined || command(backendPid) !== 'postgres') return undefined;
  const postmaster = field(fields, 4);
  return command(postmaster) === 'postgres' ? { postmaster } : undefined;
}

function command(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${String(pid)}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** One backend's own CPU so far: the one an in-process client's queries run on. */
export function backendCpu(server: Server | undefined, pid: number): number | undefined {
  const fields = server === undefined ? undefined : statFields(pid);
  return fields === undefined ? undefined : (field(fields, 14) + field(fields, 15)) / ticks;
}

function serverChildren(server: Server): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/u.test(name)) continue;
    const fields = statFields(Number(name));
    if (fields !== undefined && field(fields, 4) === server.postmaster) children.push(Number(name));
  }
  return children;
}

/**
 * The server's CPU so far: the postmaster's own time, the time of the backends and workers it has reaped, and
 * the time of those still running. It first waits (up to 2 s) until no process runs that did not run at
 * `baseline`, so a client's backend that is still exiting is counted once, as reaped.
 */
export async function serverCpu(server: Server | undefined, baseline?: readonly number[]): Promise<number | undefined> {
  if (server === undefined) return undefined;
  let children = serverChildren(server);
  for (let waited = 0; baseline !== undefined && waited < 2000; waited += 20) {
    if (children.every((pid) => baseline.includes(pid))) break;
    await new Promise((done) => setTimeout(done, 20));
    children = serverChildren(server);
  }
  // A child reaped between the two readings of the postmaster would be in neither: read again until they agree.
  for (;;) {
    const own = statFields(server.postmaster);
    if (own === undefined) return undefined;
    let total = field(own, 14) + field(own, 15) + field(own, 16) + field(own, 17);
    for (const pid of children) {
      const fields = statFields(pid);
      if (fields !== undefined) total += field(fields, 14) + field(fields, 15);
    }
    const again = statFields(server.postmaster);
    if (again === undefined) return undefined;
    if (field(again, 16) + field(again, 17) === field(own, 16) + field(own, 17)) return total / ticks;
    children = serverChildren(server);
  }
}

/** The server's processes now, to wait for the ones a contender starts. */
export function serverProcesses(server: Server | undefined): number[] | undefined {
  return server === undefined ? undefined : serverChildren(server);
}
