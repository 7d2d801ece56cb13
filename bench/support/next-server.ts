/**
 * A real `next start` (after `npm run build`) on a bench database, for benchmarks over HTTP, with
 * the server process's own memory read from /proc (Linux): what an operator's `ps` shows, not the
 * bench process's.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface BenchServer {
  base: string;
  pid: number;
  /** Resident set size of the server process now, in bytes. */
  rss(): number;
  /** Reset the kernel's high-water mark (VmHWM), so peakRss() covers only what follows. */
  resetPeak(): void;
  /** VmHWM: the largest resident set since start or the last resetPeak(), in bytes. */
  peakRss(): number;
  stop(): void;
}

const kb = (pid: number, field: string): number => {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
};

export async function startNextServer(dbUrl: string, port: number, env: Record<string, string> = {}): Promise<BenchServer> {
  // node runs next's own bin directly (not npx), so the child's pid is the server's.
  // BENCH_SERVER_NODE_ARGS: node flags NODE_OPTIONS refuses, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, path.join('node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, DATABASE_URL: dbUrl, STEWARD_WORKER: 'off', STEWARD_SECRET: 'bench-secret-0123456789abcdefghijklmnop', NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: 'ignore', detached: true,
  });
  const pid = server.pid!;
  const stop = () => {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (i > 120) throw new Error('the server did not start (run `npm run build` first)');
      if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
      if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  } catch (e) {
    stop();
    throw e;
  }
  return {
    base,
    pid,
    rss: () => kb(pid, 'VmRSS'),
    resetPeak: () => fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'),
    peakRss: () => kb(pid, 'VmHWM'),
    stop,
  };
}
