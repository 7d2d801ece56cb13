import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneSessionsJob } from '@/jobs/prune-sessions';
import { JobRunner } from '@/jobs/runner';
import type { JobDefinition } from '@/jobs/types';
import { pruneExpiredSessions } from '@/lib/services/sessions';
import { createTestDb, type TestDb } from './helpers';

let h: TestDb;
const START = new Date('2026-01-01T00:00:00Z');
const T = (hms: string) => new Date(`2026-01-01T${hms}Z`);
const quiet = () => {};

beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});

const runsOf = (job: string) => h.db.jobRun.findMany({ where: { job }, orderBy: { slot: 'asc' } });

describe('JobRunner', () => {
  it('two instances on one database run each slot once; a missed 00:10 slot is coalesced into 00:15', async () => {
    let counter = 0;
    const seen: string[] = [];
    const job = (): JobDefinition => ({
      name: 'count',
      description: 'increments a shared counter',
      schedule: '*/5 * * * *',
      run: async ({ now }) => {
        counter++;
        seen.push(now.toISOString());
        return { counter };
      },
    });
    const a = new JobRunner({ db: h.db, jobs: [job()], owner: 'instance-a', log: quiet }, START);
    const b = new JobRunner({ db: h.db, jobs: [job()], owner: 'instance-b', log: quiet }, START);

    const first = (await Promise.all([a.tick(T('00:05:00')), b.tick(T('00:05:00'))])).flat();
    expect(counter).toBe(1);
    expect(first.map((o) => o.slot)).toEqual(['2026-01-01T00:05:00.000Z', '2026-01-01T00:05:00.000Z']);
    expect(first.map((o) => o.status).sort()).toEqual(['done', 'skipped']);
    let runs = await runsOf('count');
    expect(runs.map((r) => [r.slot, r.status])).toEqual([['2026-01-01T00:05:00.000Z', 'done']]);
    expect(['instance-a', 'instance-b']).toContain(runs[0]!.owner);
    expect(runs[0]!.result).toEqual({ counter: 1 });
    expect(runs[0]!.finishedAt).not.toBeNull();

    expect(await Promise.all([a.tick(T('00:05:30')), b.tick(T('00:05:30'))])).toEqual([[], []]);
    expect(counter).toBe(1);

    const later = (await Promise.all([a.tick(T('00:16:00')), b.tick(T('00:16:00'))])).flat();
    expect(counter).toBe(2);
    expect(later.map((o) => o.slot)).toEqual(['2026-01-01T00:15:00.000Z', '2026-01-01T00:15:00.000Z']);
    expect(later.map((o) => o.status).sort()).toEqual(['done', 'skipped']);
    runs = await runsOf('count');
    expect(runs.map((r) => [r.slot, r.status])).toEqual([
      ['2026-01-01T00:05:00.000Z', 'done'],
      ['2026-01-01T00:15:00.000Z', 'done'],
    ]);
    // The job sees the slot time, not the tick time.
    expect(seen).toEqual(['2026-01-01T00:05:00.000Z', '2026-01-01T00:15:00.000Z']);
  });

  it('a slot exactly at startAt is not run; the first due slot is the next one', async () => {
    let runs = 0;
    const r = new JobRunner({ db: h.db, jobs: [{ name: 'edge', description: '', schedule: '*/5 * * * *', run: async () => ++runs }], owner: 'x', log: quiet }, START);
    expect(await r.tick(T('00:04:59'))).toEqual([]);
    expect(await r.tick(T('00:05:00'))).toEqual([{ job: 'edge', slot: '2026-01-01T00:05:00.000Z', status: 'done' }]);
    expect(runs).toBe(1);
  });

  it('a failing job records status failed with the error message', async () => {
    const logs: string[] = [];
    const r = new JobRunner(
      { db: h.db, jobs: [{ name: 'broken', description: '', schedule: '*/5 * * * *', run: async () => Promise.reject(new Error('disk full on /var')) }], owner: 'x', log: (m) => logs.push(m) },
      START,
    );
    expect(await r.tick(T('00:05:00'))).toEqual([{ job: 'broken', slot: '2026-01-01T00:05:00.000Z', status: 'failed' }]);
    const runs = await runsOf('broken');
    expect(runs).toHaveLength(1);
    expect(runs[0]!).toMatchObject({ status: 'failed', error: 'disk full on /var', owner: 'x', result: null });
    expect(runs[0]!.finishedAt).not.toBeNull();
    expect(logs).toEqual(['broken 2026-01-01T00:05:00.000Z failed: disk full on /var']);
  });

  it('a slot whose claim failed (database error) stays due and runs on the next tick', async () => {
    let down = true;
    let runs = 0;
    // The claim is the runner's only raw query: make it fail while the database is "down".
    const flaky = new Proxy(h.db, {
      get(t, p) {
        if (p === '$queryRawUnsafe') return (...a: Parameters<typeof t.$queryRawUnsafe>) => (down ? Promise.reject(new Error('connection refused')) : t.$queryRawUnsafe(...a));
        const v = Reflect.get(t, p);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    const logs: string[] = [];
    const r = new JobRunner({ db: flaky, jobs: [{ name: 'retry-claim', description: '', schedule: '*/5 * * * *', run: async () => ++runs }], owner: 'x', log: (m) => logs.push(m) }, START);
    expect(await r.tick(T('00:05:10'))).toEqual([]);
    expect(logs).toEqual(['retry-claim: could not claim 2026-01-01T00:05:00.000Z: connection refused']);
    expect(await runsOf('retry-claim')).toEqual([]);
    down = false;
    expect(await r.tick(T('00:06:00'))).toEqual([{ job: 'retry-claim', slot: '2026-01-01T00:05:00.000Z', status: 'done' }]);
    expect(runs).toBe(1);
    expect((await runsOf('retry-claim')).map((x) => [x.slot, x.status])).toEqual([['2026-01-01T00:05:00.000Z', 'done']]);
  });

  it('stop() aborts the signal passed to a running job and waits for it to finish', async () => {
    let started!: () => void;
    const startedP = new Promise<void>((r) => (started = r));
    const events: string[] = [];
    const slow: JobDefinition = {
      name: 'slow',
      description: '',
      schedule: '*/5 * * * *',
      run: ({ signal }) =>
        new Promise((resolve) => {
          started();
          signal.addEventListener('abort', () => {
            events.push('aborted');
            setTimeout(() => {
              events.push('finished');
              resolve({ stoppedEarly: true });
            }, 200);
          });
        }),
    };
    const r = new JobRunner({ db: h.db, jobs: [slow], owner: 'x', log: quiet }, START);
    const tick = r.tick(T('00:05:00'));
    await startedP;
    expect(events).toEqual([]);
    await r.stop(5_000);
    events.push('stop returned');
    expect(events).toEqual(['aborted', 'finished', 'stop returned']);
    expect(await tick).toEqual([{ job: 'slow', slot: '2026-01-01T00:05:00.000Z', status: 'done' }]);
    const runs = await runsOf('slow');
    expect(runs.map((x) => [x.status, x.result])).toEqual([['done', { stoppedEarly: true }]]);
    // A stopped runner does not tick any more.
    expect(await r.tick(T('00:30:00'))).toEqual([]);
  });
});

describe('pruneExpiredSessions', () => {
  it('deletes only sessions that expired strictly before now (expiresAt == now is kept)', async () => {
    const now = new Date('2026-02-01T12:00:00.000Z');
    const userId = crypto.randomUUID();
    await h.db.user.create({ data: { id: userId, email: 'prune@example.com', name: 'Prune' } });
    const mk = (id: string, expiresAt: Date) => h.db.session.create({ data: { id, token: `tok-${id}`, userId, expiresAt, updatedAt: now } });
    await mk('long-gone', new Date(now.getTime() - 86_400_000));
    await mk('just-expired', new Date(now.getTime() - 1));
    await mk('expires-now', now);
    await mk('valid', new Date(now.getTime() + 3600_000));
    await h.db.verification.create({ data: { id: 'v-old', identifier: 'i', value: 'v', expiresAt: new Date(now.getTime() - 1) } });
    await h.db.verification.create({ data: { id: 'v-now', identifier: 'i', value: 'v', expiresAt: now } });
    const day = 24 * 3600_000;
    await h.db.rateLimit.create({ data: { id: 'r-old', key: 'k1', count: 1, lastRequest: BigInt(now.getTime() - day - 1) } });
    await h.db.rateLimit.create({ data: { id: 'r-day', key: 'k2', count: 1, lastRequest: BigInt(now.getTime() - day) } });

    expect(await pruneExpiredSessions(h.db, now)).toEqual({ sessions: 2, verifications: 1, rateLimits: 1 });
    expect((await h.db.session.findMany({ orderBy: { id: 'asc' } })).map((s) => s.id)).toEqual(['expires-now', 'valid']);
    expect((await h.db.verification.findMany()).map((v) => v.id)).toEqual(['v-now']);
    expect((await h.db.rateLimit.findMany()).map((v) => v.id)).toEqual(['r-day']);
    // Idempotent.
    expect(await pruneExpiredSessions(h.db, now)).toEqual({ sessions: 0, verifications: 0, rateLimits: 0 });

    // Through the registered job: the slot time is "now", the counts land in job_runs.result.
    const r = new JobRunner({ db: h.db, jobs: [pruneSessionsJob], owner: 'x', log: quiet }, new Date('2026-02-01T12:00:00Z'));
    expect(await r.tick(new Date('2026-02-01T13:00:00.000Z'))).toEqual([{ job: 'prune-sessions', slot: '2026-02-01T13:00:00.000Z', status: 'done' }]);
    expect((await runsOf('prune-sessions'))[0]!.result).toEqual({ sessions: 1, verifications: 1, rateLimits: 1 });
    expect((await h.db.session.findMany()).map((s) => s.id)).toEqual(['valid']);
    expect(await h.db.rateLimit.count()).toBe(0);
  });
});
