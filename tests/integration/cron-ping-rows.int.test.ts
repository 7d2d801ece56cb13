/**
 * The ping's fast path keeps the row it wrote last and skips reading it on the next ping
 * (lib/services/cron/record-ping.ts). Whatever changed the row meanwhile — an edit, a pause, the
 * alert pass, a delete, another instance's pings, concurrent pings here — must be seen: nothing
 * is written over a newer row, nothing is lost, and the result is what reading it fresh gives.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type DbHandle } from '@/lib/db/client';
import type { Actor } from '@/lib/services/actor';
import { createTestDb, usingPostgres, type TestDb } from './helpers';

vi.mock('server-only', () => ({}));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const cron = await import('@/lib/services/cron');
const { forgetPingRows } = await import('@/lib/services/cron/record-ping');

let h: TestDb;
let second: DbHandle | null = null;
beforeAll(async () => {
  process.env.STEWARD_PING_RATE_PER_CHECK = '0';
  (await import('@/lib/services/cron/settings')).resetCronSettings();
  h = await createTestDb();
  if (usingPostgres) second = await openDatabase({ url: h.url!, migrate: false, poolSize: 4 });
});
afterAll(async () => {
  await second?.close();
  await h?.close();
  delete process.env.STEWARD_PING_RATE_PER_CHECK;
  (await import('@/lib/services/cron/settings')).resetCronSettings();
});

const cli: Actor = { type: 'cli', id: null, label: 'cli:ping-rows', origin: 'cli' };
const MIN = 60_000;
const T0 = Date.now();
const at = (m: number) => new Date(T0 + m * MIN);
const schedule = { kind: 'period' as const, periodSeconds: 600, graceSeconds: 60 };
const make = (name: string) => cron.createCheck(h.db, cli, { name, type: 'ping', schedule }, at(0));
const ping = (db: DbHandle['db'], uuid: string, when: Date, suffix: string[] = []) =>
  cron.recordPing(db, { path: [uuid, ...suffix], rid: null, create: false, method: 'POST', body: Buffer.from('b'), bodyTruncated: false, sourceAddress: '10.0.0.1', userAgent: 'curl' }, when);
const row = (id: string) => h.db.cronCheck.findUniqueOrThrow({ where: { id } });

describe('the row kept from the last ping', () => {
  it('an edit made meanwhile (new period and grace) is what the next ping is evaluated with: the same row as when read afresh', async () => {
    const edited = { ...schedule, periodSeconds: 1800, graceSeconds: 3600 };
    const results = [];
    for (const fresh of [false, true]) {
      const c = await make(`rows-edit-${fresh}`);
      expect((await ping(h.db, c.uuid, at(1))).status).toBe(200);
      await cron.updateCheck(h.db, cli, c.id, { name: `rows-edit-${fresh}`, type: 'ping', schedule: edited }, at(2));
      if (fresh) forgetPingRows(h.db);
      expect((await ping(h.db, c.uuid, at(3))).status).toBe(200);
      const r = await row(c.id);
      results.push([r.periodSeconds, r.graceSeconds, r.pingCount, r.state, r.reason, r.nextChangeAt?.getTime(), r.lastPingAt?.getTime()]);
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]!.slice(0, 4)).toEqual([1800, 3600, 2, 'up']);
    expect(results[0]![5]).toBeGreaterThanOrEqual(at(3).getTime() + 1_800_000);
  });

  it('a run of starts, finishes, failures and logs gives the same rows and ping log as reading the row before every ping', async () => {
    const script: [number, string[]][] = [[1, ['start']], [2, []], [3, ['start']], [4, ['fail']], [5, ['log']], [6, ['1']], [7, ['start']], [8, ['start']], [9, ['0']], [20, []]];
    const out = [];
    for (const fresh of [false, true]) {
      const c = await make(`rows-script-${fresh}`);
      for (const [m, suffix] of script) {
        if (fresh) forgetPingRows(h.db);
        expect((await ping(h.db, c.uuid, at(m), suffix)).status).toBe(200);
      }
      const { id: _i, uuid: _u, name: _n, createdAt: _c, ...r } = await row(c.id);
      const log = (await h.db.cronPing.findMany({ where: { checkId: c.id }, orderBy: { id: 'asc' } })).map(({ id: _id, checkId: _ck, ...p }) => p);
      out.push({ r, log });
    }
    expect(out[0]).toEqual(out[1]);
    expect(out[0]!.r.consecutiveFailures).toBe(0);
  });

  it('a pause made meanwhile: the next ping resumes the check (the locked path), as without the kept row', async () => {
    const c = await make('rows-pause');
    await ping(h.db, c.uuid, at(1));
    await cron.setCheckPaused(h.db, cli, c.id, true, at(2));
    expect((await ping(h.db, c.uuid, at(3))).status).toBe(200);
    const r = await row(c.id);
    expect([r.paused, r.state, r.pingCount]).toEqual([false, 'up', 2]);
  });

  it('the alert pass flipping it down meanwhile: the next ping flips it back up, with the flip recorded', async () => {
    const c = await make('rows-down');
    await ping(h.db, c.uuid, at(0));
    await cron.runAlertPass(h.db, at(30)); // 10 min period + 1 min grace long gone
    expect((await row(c.id)).state).toBe('down');
    expect((await ping(h.db, c.uuid, at(31))).status).toBe(200);
    const r = await row(c.id);
    expect([r.state, r.pingCount]).toEqual(['up', 2]);
    const flips = await h.db.cronFlip.findMany({ where: { checkId: c.id }, orderBy: { at: 'asc' } });
    expect(flips.map((f) => `${f.from}→${f.to}`).slice(-2)).toEqual(['up→down', 'down→up']);
  });

  it('deleted meanwhile: 404 "not found", nothing stored', async () => {
    const c = await make('rows-delete');
    await ping(h.db, c.uuid, at(1));
    await cron.deleteCheck(h.db, cli, c.id, at(2));
    expect(await ping(h.db, c.uuid, at(3))).toEqual({ status: 404, text: 'not found' });
    expect(await h.db.cronPing.count({ where: { checkId: c.id } })).toBe(0);
  });

  it('two instances pinging one check in turn: every ping stored and counted, start and finish paired across them', async () => {
    const c = await make('rows-two');
    const other = second?.db ?? h.db;
    for (let i = 0; i < 10; i++) {
      const db = i % 2 ? other : h.db;
      if (!second) forgetPingRows(h.db); // PGlite: one handle, so forget as the other instance would not know
      expect((await ping(db, c.uuid, at(1 + i), i % 2 ? [] : ['start'])).status).toBe(200);
    }
    const r = await row(c.id);
    expect([r.pingCount, r.version > 10, r.openStartAt, r.state]).toEqual([10, true, null, 'up']);
    const log = await h.db.cronPing.findMany({ where: { checkId: c.id }, orderBy: { id: 'asc' } });
    expect(log).toHaveLength(10);
    expect(log.filter((p) => p.kind === 'success').map((p) => p.durationSeconds)).toEqual([60, 60, 60, 60, 60]);
  });

  it('concurrent pings of one check: nothing lost, the count exact', async () => {
    const c = await make('rows-concurrent');
    await ping(h.db, c.uuid, at(1));
    const dbs = [h.db, second?.db ?? h.db];
    const rs = await Promise.all(Array.from({ length: 8 }, (_, i) => ping(dbs[i % 2]!, c.uuid, at(2))));
    expect(rs.every((r) => r.status === 200)).toBe(true);
    expect((await row(c.id)).pingCount).toBe(9);
    expect(await h.db.cronPing.count({ where: { checkId: c.id } })).toBe(9);
  });
});
