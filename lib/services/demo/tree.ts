/**
 * The demo's soak-style artifact tree, grown over the simulated month: an ITER_SUMMARY every 18
 * minutes, a config snapshot and two logs a day, an edge report every third day. Each file is
 * written when it "arrives" on the simulated clock, with that time as its mtime, so the retention
 * services see the tree exactly as it would have been at each moment. Deterministic (fixed seed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { seeded } from './random';

const MIN = 60_000;
const DAY = 86_400_000;

interface Arrival {
  atMs: number;
  rel: string;
  bytes: number;
  fill: (bytes: number) => string;
}

const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');

function textOfSize(line: string) {
  return (bytes: number) => line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes);
}

function iterSummary(rand: () => number, iter: number) {
  return (bytes: number) => {
    const base = { iteration: iter, net_bps: +(rand() * 12 - 2).toFixed(3), p95_latency_ms: +(80 + rand() * 60).toFixed(1), fills: Math.floor(rand() * 400), rss_mb: +(210 + iter * 0.002 + rand() * 5).toFixed(1) };
    const s = JSON.stringify(base);
    return `${s.slice(0, -1)},"pad":"${'x'.repeat(Math.max(0, bytes - s.length - 10))}"}`;
  };
}

/** Every file of the soak from `fromMs` (the first iteration) to `untilMs`, in arrival order. */
function arrivals(fromMs: number, untilMs: number): Arrival[] {
  const rand = seeded(7);
  const out: Arrival[] = [];
  let iter = 0;
  for (let t = fromMs; t <= untilMs; t += 18 * MIN) {
    iter++;
    out.push({ atMs: t, rel: `latest/ITER_SUMMARY_${iter}.json`, bytes: 1500 + Math.floor(rand() * 3000), fill: iterSummary(rand, iter) });
  }
  const firstDay = Math.floor(fromMs / DAY) * DAY;
  for (let day = firstDay, n = 0; day <= untilMs; day += DAY, n++) {
    const d = ymd(day);
    const daily: Arrival[] = [
      { atMs: day + 23 * 60 * MIN + 50 * MIN, rel: `snapshots/freeze_${d}.json`, bytes: 200_000 + Math.floor(rand() * 600_000), fill: textOfSize('{"param":"spread_bps","value":1.25,"profile":"S1"}\n') },
      ...['soak', 'edge'].map((name) => ({ atMs: day + DAY - MIN, rel: `logs/${name}_${d}.log`, bytes: 100_000 + Math.floor(rand() * 900_000), fill: textOfSize(`${new Date(day).toISOString().slice(0, 10)}T12:00:00Z INFO ${name} iteration complete net_bps=3.1 fills=120\n`) })),
    ];
    if (n % 3 === 0) daily.push({ atMs: day + 21 * 60 * MIN, rel: `reports/EDGE_REPORT_${d}.md`, bytes: 20_000 + Math.floor(rand() * 40_000), fill: textOfSize('| metric | value |\n|---|---|\n| net_bps | 3.10 |\n') });
    out.push(...daily.filter((a) => a.atMs >= fromMs && a.atMs <= untilMs));
  }
  return out.sort((a, b) => a.atMs - b.atMs || (a.rel < b.rel ? -1 : 1));
}

export class DemoTree {
  readonly root: string;
  readonly #arrivals: Arrival[];
  #next = 0;

  constructor(root: string, fromMs: number, untilMs: number) {
    this.root = root;
    this.#arrivals = arrivals(fromMs, untilMs);
  }

  /** Writes every file that has arrived by `ms`, each with its arrival time as mtime. */
  growTo(ms: number): void {
    while (this.#next < this.#arrivals.length && this.#arrivals[this.#next]!.atMs <= ms) {
      const a = this.#arrivals[this.#next++]!;
      const file = path.join(this.root, a.rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, a.fill(a.bytes));
      fs.utimesSync(file, new Date(a.atMs), new Date(a.atMs));
    }
  }

  /**
   * What Steward itself wrote during the simulation (archives, the rotation log, directories that
   * files were added to) carries the wall clock's mtime, which is ahead of the simulated one. Give
   * those entries the simulated time they were written at, as a real filesystem would have.
   */
  settle(nowMs: number): void {
    const walk = (dir: string) => {
      for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, d.name);
        if (d.isDirectory()) walk(p);
        if (fs.lstatSync(p).mtimeMs > nowMs) fs.utimesSync(p, new Date(nowMs), new Date(nowMs));
      }
    };
    walk(this.root);
    if (fs.lstatSync(this.root).mtimeMs > nowMs) fs.utimesSync(this.root, new Date(nowMs), new Date(nowMs));
  }

  /** Files and bytes in the tree now. */
  measure(): { files: number; bytes: number } {
    let files = 0;
    let bytes = 0;
    const walk = (dir: string) => {
      for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, d.name);
        if (d.isDirectory()) walk(p);
        else if (d.isFile()) {
          files++;
          bytes += fs.lstatSync(p).size;
        }
      }
    };
    walk(this.root);
    return { files, bytes };
  }
}
