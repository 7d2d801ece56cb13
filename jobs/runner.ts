/**
 * The job runner. Each instance ticks on its own timer; for every job it works out the latest
 * scheduled slot that has come due and tries to claim it with an INSERT that the unique key
 * (job, slot) lets succeed exactly once across all instances. Only the claimer runs the slot.
 * Missed slots (the process was down) are coalesced into the latest one rather than replayed.
 */
import os from 'node:os';
import { Cron } from 'croner';
import type { Db } from '@/lib/db/client';
import type { JobDefinition } from './types';

export interface RunnerOptions {
  db: Db;
  jobs: JobDefinition[];
  /** Identifies this instance in job_runs.owner. */
  owner?: string;
  tickMs?: number;
  log?: (message: string) => void;
}

interface Scheduled {
  job: JobDefinition;
  cron: Cron;
  checkedUpTo: Date;
}

function toJson(v: unknown): object | undefined {
  if (v === undefined || v === null) return undefined;
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x))) as object;
}

export type SlotOutcome = { job: string; slot: string; status: 'done' | 'failed' | 'skipped' };

export class JobRunner {
  private readonly scheduled: Scheduled[];
  private readonly owner: string;
  private readonly log: (m: string) => void;
  private timer: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  private ticking = false;

  constructor(private readonly opts: RunnerOptions, startAt: Date = new Date()) {
    this.owner = opts.owner ?? `${os.hostname()}:${process.pid}`;
    this.log = opts.log ?? ((m) => console.log(`[jobs] ${m}`));
    this.scheduled = opts.jobs.map((job) => ({
      job,
      cron: new Cron(job.schedule, { paused: true, timezone: job.timezone ?? 'UTC' }),
      checkedUpTo: startAt,
    }));
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      void this.tick(new Date()).catch((e) => this.log(`tick failed: ${(e as Error).message}`));
    };
    this.timer = setInterval(tick, this.opts.tickMs ?? 15_000);
    this.timer.unref();
    this.log(`worker ${this.owner} started with ${this.scheduled.length} job(s)`);
  }

  /** Stops ticking, signals running jobs to stop, and waits for them (bounded). */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
    const all = Promise.allSettled([...this.inFlight]);
    await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  /** Runs every slot that has come due by `now`. Exposed for tests and `steward worker --once`. */
  async tick(now: Date): Promise<SlotOutcome[]> {
    if (this.ticking || this.abort.signal.aborted) return [];
    this.ticking = true;
    try {
      const outcomes: SlotOutcome[] = [];
      for (const s of this.scheduled) {
        let due: Date | null = null;
        for (let t = s.cron.nextRun(s.checkedUpTo); t && t <= now; t = s.cron.nextRun(t)) due = t;
        if (due) {
          try {
            outcomes.push(await this.runSlot(s.job, due));
          } catch (e) {
            // The claim itself failed (database down?): keep the slot due and try it next tick.
            this.log(`${s.job.name}: could not claim ${due.toISOString()}: ${(e as Error).message}`);
            continue;
          }
        }
        s.checkedUpTo = now;
      }
      return outcomes;
    } finally {
      this.ticking = false;
    }
  }

  /** Claims and runs one slot; returns 'skipped' when another instance claimed it first. */
  async runSlot(job: JobDefinition, slotTime: Date, slotKey = slotTime.toISOString()): Promise<SlotOutcome> {
    const { db } = this.opts;
    const claimed = await db.$queryRawUnsafe<{ id: bigint }[]>(
      `INSERT INTO "job_runs" ("job", "slot", "status", "owner") VALUES ($1, $2, 'running', $3)
       ON CONFLICT ("job", "slot") DO NOTHING RETURNING "id"`,
      job.name,
      slotKey,
      this.owner,
    );
    const id = claimed[0]?.id;
    if (id === undefined) return { job: job.name, slot: slotKey, status: 'skipped' };
    const run = (async (): Promise<SlotOutcome> => {
      try {
        const result = await job.run({ db, now: slotTime, signal: this.abort.signal, log: (m) => this.log(`${job.name}: ${m}`) });
        await db.jobRun.update({
          where: { id },
          data: { status: 'done', finishedAt: new Date(), result: toJson(result) },
        });
        return { job: job.name, slot: slotKey, status: 'done' };
      } catch (e) {
        this.log(`${job.name} ${slotKey} failed: ${(e as Error).message}`);
        await db.jobRun.update({ where: { id }, data: { status: 'failed', finishedAt: new Date(), error: String((e as Error).message).slice(0, 2000) } });
        return { job: job.name, slot: slotKey, status: 'failed' };
      }
    })();
    this.inFlight.add(run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(run);
    }
  }
}
