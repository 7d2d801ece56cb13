/**
 * Soak tests, E2E pipelines and chaos runs, told by the real soak services on the demo's clock
 * (soak-harness.ts writes the files the harness and the nightly jobs would):
 *
 * - mm-bot's 24-hour soak on a build with the order-book snapshot leak, nine days ago: the
 *   harness's runner sends its samples, its resources.analysis.json and an npm audit report when
 *   the run ends, with the "soak-runner (demo)" token; Steward's fit calls the leak. The fix lands,
 *   and the 24-hour soak two days ago shows a collector sawtooth that is not a leak.
 * - hologram's nightly E2E pipelines at 02:00 for the last 35 nights (events.jsonl uploaded by CI with
 *   the "ci-main (demo)" token): publish-install-use fails once at `install` (a registry 404) and
 *   misses the 98 % target; graphql-e2e passes every night.
 * - hologram's nightly chaos results at 03:00: three scenarios that always recover within seconds,
 *   and network_partition, added twelve days ago, that fails now and then and recovers slowly.
 */
import type { Db } from '@/lib/db/client';
import { ingestChaosRun, ingestE2eRun, ingestSoakRun } from '../soak';
import type { SimClock } from './clock';
import { chaosResults, E2E_PIPELINES, e2eEvents, soakHarnessFiles, type E2ePipeline, type SoakBuild } from './soak-harness';
import { seeded } from './random';
import type { DemoCast, DemoEvent } from './story';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const SOAK_PROJECT = 'mm-bot';
const CI_PROJECT = 'hologram';
const SOAK_TOKEN = 'soak-runner (demo)';
const CI_TOKEN = 'ci-main (demo)';
/** Nights of E2E and chaos history. */
export const SOAK_DEMO_NIGHTS = 35;

export interface SoakStoryInput { db: Db; clock: SimClock }

interface PlannedSoak { build: SoakBuild; startMs: number; commit: string; seed: number }

const hex = (rand: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');

export function soakEvents(s: SoakStoryInput): (cast: DemoCast) => DemoEvent[] {
  return (cast) => {
    const { db, clock } = s;
    const now = () => clock.now();
    // Midnight UTC of the real today: the stories end at the real now (clock.endMs).
    const today = Math.floor(clock.endMs / DAY) * DAY;
    const rand = seeded(1107);
    const soaks: PlannedSoak[] = [
      { build: 'leaking', startMs: today - 9 * DAY + 6 * HOUR, commit: hex(rand, 40), seed: 11 },
      { build: 'healthy', startMs: today - 2 * DAY + 6 * HOUR, commit: hex(rand, 40), seed: 12 },
    ];
    const events: DemoEvent[] = soaks.map((p) => ({
      // The harness uploads a few minutes after the 24 hours are up.
      atMs: p.startMs + DAY + 4 * MIN,
      tree: false,
      run: () => {
        const f = soakHarnessFiles(p.build, p.startMs, p.seed);
        const day = new Date(p.startMs).toISOString().slice(0, 10);
        return ingestSoakRun(db, cast.token(SOAK_TOKEN), {
          project: SOAK_PROJECT, name: `soak-24h ${day}`, runKey: `soak-24h-${day}`, branch: 'main', commit: p.commit,
          ciUrl: `https://ci.mm-bot.example/soak/${day}`, crashes: 0, orphanOrders: 0,
          files: [{ name: 'artifacts/soak/resources.jsonl', content: f.samples }, { name: 'artifacts/soak/resources.analysis.json', content: f.analysis }, { name: 'artifacts/soak/npm-audit.json', content: f.audit }],
        }, { now: now() });
      },
    }));
    const e2eRand = seeded(2208);
    const chaosRand = seeded(3309);
    const failNight = 12;
    for (let d = SOAK_DEMO_NIGHTS; d >= 0; d--) {
      const night = today - d * DAY;
      for (const pipeline of Object.keys(E2E_PIPELINES) as E2ePipeline[]) {
        const startMs = night + 2 * HOUR + (pipeline === 'graphql-e2e' ? 20 * MIN : 0);
        const runId = `nightly-${new Date(night).toISOString().slice(0, 10)}-${pipeline}`;
        const fail = pipeline === 'publish-install-use' && d === failNight
          ? { step: 'install', error: 'npm ERR! code E404\nnpm ERR! 404 Not Found - GET https://registry.hologram.example/@hologram%2fcli/-/cli-4.2.0.tgz - not found (the publish step pushed 4.2.0 to the mirror that was being re-indexed)' }
          : undefined;
        const run = e2eEvents(pipeline, startMs, runId, e2eRand, fail);
        events.push({
          atMs: run.endMs + 2 * MIN,
          tree: false,
          run: () => ingestE2eRun(db, cast.token(CI_TOKEN), { project: CI_PROJECT, pipeline, runKey: runId, branch: 'main', file: { name: 'reports/e2e/events.jsonl', content: run.text } }, { now: now() }),
        });
      }
      const chaosAt = night + 3 * HOUR;
      const content = chaosResults(chaosRand, d <= 12);
      events.push({
        atMs: chaosAt + 25 * MIN,
        tree: false,
        run: () => ingestChaosRun(db, cast.token(CI_TOKEN), { project: CI_PROJECT, at: new Date(chaosAt).toISOString(), runKey: `chaos-${new Date(night).toISOString().slice(0, 10)}`, branch: 'main', file: { name: 'reports/chaos/results.json', content } }, { now: now() }),
      });
    }
    return events;
  };
}

export interface SoakDemoSummary { soakRuns: number; leaks: number; e2eRuns: number; chaosUploads: number }

export async function soakSummary(db: Db): Promise<SoakDemoSummary> {
  return {
    soakRuns: await db.soakRun.count(),
    leaks: await db.soakRun.count({ where: { leakVerdict: 'leak' } }),
    e2eRuns: await db.e2eRun.count(),
    chaosUploads: await db.chaosRun.count(),
  };
}
