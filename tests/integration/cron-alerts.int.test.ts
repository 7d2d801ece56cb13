/**
 * The alert loop against a real database: overdue checks flip (up → late → down) with their
 * flips and `cron.down` in the outbox in the same transaction; paused checks are never picked;
 * and two instances running passes at once over 200 overdue checks, for several rounds, flip each
 * check exactly once and enqueue exactly one notification per check per round.
 */
process.env.STEWARD_NOTIFY_ALLOW_PRIVATE = '1';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cronAlertsJob } from '@/jobs/cron';
import { openDatabase } from '@/lib/db/client';
import type { Actor } from '@/lib/services/actor';
import { createCheck, getCheck, listChecks, runAlertPass } from '@/lib/services/cron';
import { createChannel } from '@/lib/services/notifications/channels';
import { createRule } from '@/lib/services/notifications/rules';
import { createTestDb, NEEDS_POSTGRES, usingPostgres, type TestDb } from './helpers';
import { startReceiver } from './notify-helpers';

let h: TestDb;
const cli: Actor = { type: 'cli', id: null, label: 'cli:cron-alerts', origin: 'cli' };
const T0 = new Date('2026-12-05T12:00:00Z');
const MIN = 60_000;
const HOUR = 3_600_000;

beforeAll(async () => {
  h = await createTestDb();
  const channel = await createChannel(h.db, cli, { type: 'webhook', name: 'cron-hook', url: 'http://127.0.0.1:9/cron' }, T0);
  await createRule(h.db, cli, { channelId: channel.id, kinds: ['cron.*'] }, T0);
});
afterAll(async () => {
  await h?.close();
});

describe('alert pass', () => {
  it('up → late → down at the exact deadlines: late is stored but not a flip (grace), down is, with cron.down; nextChangeAt stored', async () => {
    const c = await createCheck(h.db, cli, { name: 'hourly', type: 'ping', schedule: { kind: 'period', periodSeconds: 3600, graceSeconds: 600 } }, T0);
    // Its last success at T0 (as recordPing stores it).
    await h.db.cronCheck.update({ where: { id: c.id }, data: { lastFinishAt: T0, state: 'up', nextChangeAt: new Date(T0.getTime() + HOUR + 1) } });
    expect(await runAlertPass(h.db, new Date(T0.getTime() + HOUR))).toMatchObject({ flipped: 0, evaluated: 0 });
    expect(await runAlertPass(h.db, new Date(T0.getTime() + HOUR + 1))).toMatchObject({ flipped: 0, evaluated: 1, announced: 0 });
    let row = await h.db.cronCheck.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ state: 'late', nextChangeAt: new Date(T0.getTime() + HOUR + 10 * MIN + 1) });
    expect(await runAlertPass(h.db, new Date(T0.getTime() + HOUR + 10 * MIN + 1))).toMatchObject({ flipped: 1, announced: 1 });
    row = await h.db.cronCheck.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ state: 'down', nextChangeAt: null, downSince: new Date(T0.getTime() + HOUR + 10 * MIN + 1) });
    expect(await runAlertPass(h.db, new Date(T0.getTime() + 5 * HOUR))).toMatchObject({ flipped: 0, evaluated: 0 });
    const flips = await h.db.cronFlip.findMany({ where: { checkId: c.id }, orderBy: { id: 'asc' } });
    expect(flips.map((f) => `${f.from}>${f.to}`)).toEqual(['late>down']);
    expect(flips[0]!.reason).toMatch(/no ping since/);
    const deliveries = await h.db.notificationDelivery.findMany({ where: { subjectId: c.id } });
    expect(deliveries.map((d) => [d.kind, d.eventId])).toEqual([['cron.down', flips[0]!.eventId]]);
    const detail = await getCheck(h.db, cli, c.id, new Date(T0.getTime() + 5 * HOUR));
    expect(detail.flips.map((f) => f.to)).toEqual(['down']);
    expect(detail.notifications.map((n) => [n.kind, n.channel, n.status])).toEqual([['cron.down', 'cron-hook', 'pending']]);
    const list = await listChecks(h.db, cli, {}, new Date(T0.getTime() + 5 * HOUR));
    expect(list.checks[0]!.name).toBe('hourly');
    expect(list.counts.down).toBe(1);
  });

  it('a paused check is never picked, whatever its stored deadline', async () => {
    const c = await createCheck(h.db, cli, { name: 'paused-one', type: 'ping', schedule: { kind: 'period', periodSeconds: 60, graceSeconds: 0 } }, T0);
    await h.db.cronCheck.update({ where: { id: c.id }, data: { paused: true, state: 'paused', lastFinishAt: new Date(T0.getTime() - HOUR), nextChangeAt: new Date(T0.getTime() - HOUR) } });
    await runAlertPass(h.db, T0);
    expect((await h.db.cronCheck.findUniqueOrThrow({ where: { id: c.id } })).state).toBe('paused');
    expect(await h.db.cronFlip.count({ where: { checkId: c.id } })).toBe(0);
  });

  it('the job runs a pass and keeps a day of its own job_runs rows', async () => {
    await h.db.jobRun.create({ data: { job: 'cron-alerts', slot: 'old', status: 'done', owner: 'x', startedAt: new Date(Date.now() - 2 * 86_400_000) } });
    await h.db.jobRun.create({ data: { job: 'other-job', slot: 'old', status: 'done', owner: 'x', startedAt: new Date(Date.now() - 2 * 86_400_000) } });
    const r = (await cronAlertsJob.run({ db: h.db, now: T0, signal: new AbortController().signal, log: () => undefined })) as { prunedRuns: number };
    expect(r.prunedRuns).toBe(1);
    expect(await h.db.jobRun.count({ where: { job: 'other-job' } })).toBe(1);
    expect(cronAlertsJob.schedule).toBe('*/10 * * * * *');
  });

});

describe('two instances at once', () => {
  it('200 overdue checks, two concurrent passes per round, 4 rounds: each check flips exactly once per round, one notification each', async ({ skip }) => {
    if (!usingPostgres) skip(NEEDS_POSTGRES);
    const second = await openDatabase({ url: h.url!, migrate: false, poolSize: 4 });
    try {
      const ids = Array.from({ length: 200 }, () => crypto.randomUUID());
      await h.db.cronCheck.createMany({
        data: ids.map((id, i) => ({ id, uuid: crypto.randomUUID(), name: `fleet-${String(i).padStart(3, '0')}`, type: 'ping', scheduleKind: 'period', periodSeconds: 3600, graceSeconds: 60, createdAt: T0, updatedAt: T0 })),
      });
      for (let round = 0; round < 4; round++) {
        const now = new Date(T0.getTime() + (round + 1) * 86_400_000);
        // Each check last succeeded two hours ago and is cached "up" with a stale deadline: truly down.
        await h.db.cronCheck.updateMany({ where: { id: { in: ids } }, data: { state: 'up', downSince: null, lastFinishAt: new Date(now.getTime() - 2 * HOUR), nextChangeAt: new Date(now.getTime() - HOUR + 1) } });
        const flipsBefore = await h.db.cronFlip.count({ where: { checkId: { in: ids } } });
        const deliveriesBefore = await h.db.notificationDelivery.count({ where: { subjectId: { in: ids } } });
        const results = await Promise.all([
          runAlertPass(h.db, now, { limit: 25 }), runAlertPass(second.db, now, { limit: 25 }),
          runAlertPass(h.db, now, { limit: 40 }), runAlertPass(second.db, now, { limit: 40 }),
        ]);
        expect(results.reduce((n, r) => n + r.flipped, 0)).toBe(200);
        const flips = await h.db.cronFlip.groupBy({ by: ['checkId'], where: { checkId: { in: ids }, at: now }, _count: { _all: true } });
        expect(flips.length).toBe(200);
        expect(flips.every((f) => f._count._all === 1)).toBe(true);
        expect(await h.db.cronFlip.count({ where: { checkId: { in: ids } } })).toBe(flipsBefore + 200);
        const deliveries = await h.db.notificationDelivery.groupBy({ by: ['subjectId'], where: { subjectId: { in: ids }, kind: 'cron.down' }, _count: { _all: true } });
        expect(deliveries.length).toBe(200);
        expect(deliveries.every((d) => d._count._all === round + 1)).toBe(true);
        expect(await h.db.notificationDelivery.count({ where: { subjectId: { in: ids } } })).toBe(deliveriesBefore + 200);
        const states = await h.db.cronCheck.groupBy({ by: ['state'], where: { id: { in: ids } }, _count: { _all: true } });
        expect(states.map((s) => [s.state, s._count._all])).toEqual([['down', 200]]);
        // A further pass finds nothing to do.
        expect((await runAlertPass(second.db, now)).evaluated).toBe(0);
      }
    } finally {
      await second.close();
    }
  }, 120_000);
});

// Last: its channel would double every check's deliveries in the tests above.
describe('prompt delivery', () => {
  it('the job sends the cron.down it enqueued in the same run, not at the delivery job\'s next minute', async () => {
    const rx = await startReceiver();
    try {
      const channel = await createChannel(h.db, cli, { type: 'webhook', name: 'prompt-hook', url: rx.url('/prompt') }, T0);
      await createRule(h.db, cli, { channelId: channel.id, kinds: ['cron.down'] }, T0);
      const c = await createCheck(h.db, cli, { name: 'prompt', type: 'ping', schedule: { kind: 'period', periodSeconds: 60, graceSeconds: 60 } }, T0);
      const at = new Date(Date.now() + 1000);
      await h.db.cronCheck.update({ where: { id: c.id }, data: { lastFinishAt: new Date(at.getTime() - 10 * MIN), state: 'up', nextChangeAt: new Date(at.getTime() - MIN) } });
      const r = (await cronAlertsJob.run({ db: h.db, now: at, signal: new AbortController().signal, log: () => undefined })) as { announced: number; delivered?: { delivered: number } };
      expect(r.announced).toBe(1);
      expect(r.delivered?.delivered).toBeGreaterThanOrEqual(1);
      const hits = rx.hitsOn('/prompt');
      expect(hits).toHaveLength(1);
      expect(JSON.parse(hits[0]!.body)).toMatchObject({ kind: 'cron.down', subject: { id: c.id, name: 'prompt' } });
    } finally {
      await rx.close();
    }
  });
});
