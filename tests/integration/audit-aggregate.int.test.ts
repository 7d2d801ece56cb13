// Refused calls are audited, but a flood of them folds into counted rows (lib/services/audit.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { DENIED_WINDOW_MS, listAudit, MANY_ORIGINS, ORIGIN_SLOTS, recordAudit } from '@/lib/services/audit';
import { openDatabase } from '@/lib/db/client';
import { createTestDb, usingPostgres, type TestDb } from './helpers';

let h: TestDb;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  await h.db.auditEvent.deleteMany();
});

const token: Actor = { type: 'token', id: 'tok-1', label: 'token:ci', scopes: ['ingest'], origin: '10.0.0.7' };
const denied = { action: 'audit.read', summary: 'Refused: audit.read needs the "read" scope', outcome: 'denied' as const };
// The start of a window, so "+ n seconds" stays inside it.
const W0 = new Date(Math.ceil(Date.parse('2026-06-01T00:00:00Z') / DENIED_WINDOW_MS) * DENIED_WINDOW_MS);
const at = (ms: number) => new Date(W0.getTime() + ms);

describe('denied events are aggregated', () => {
  it('37 identical refusals in one window are one row with count 37 and lastAt at the latest', async () => {
    for (let i = 0; i < 37; i++) await recordAudit(h.db, token, denied, at(i * 1000));
    const rows = await h.db.auditEvent.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ count: 37, outcome: 'denied', actorLabel: 'token:ci', origin: '10.0.0.7', action: 'audit.read' });
    expect(rows[0]!.at.toISOString()).toBe(W0.toISOString());
    expect(rows[0]!.lastAt!.toISOString()).toBe(at(36_000).toISOString());
    const listed = await listAudit(h.db, { page: 1, pageSize: 50 });
    expect(listed.rows.map((r) => [r.count, r.lastAt])).toEqual([[37, at(36_000).toISOString()]]);
  });

  it('a different action, actor, target or origin, or the next window, is a row of its own', async () => {
    await recordAudit(h.db, token, denied, at(0));
    await recordAudit(h.db, token, { ...denied, action: 'whoami' }, at(1));
    await recordAudit(h.db, { ...token, id: 'tok-2', label: 'token:other' }, denied, at(2));
    await recordAudit(h.db, token, { ...denied, targetType: 'plan', targetId: 'p1' }, at(3));
    await recordAudit(h.db, token, denied, at(DENIED_WINDOW_MS));
    await recordAudit(h.db, token, denied, at(4)); // a repeat of the first
    const rows = await h.db.auditEvent.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.actorLabel, r.action, r.targetId, r.count])).toEqual([
      ['token:ci', 'audit.read', null, 2],
      ['token:ci', 'whoami', null, 1],
      ['token:other', 'audit.read', null, 1],
      ['token:ci', 'audit.read', 'p1', 1],
      ['token:ci', 'audit.read', null, 1],
    ]);
    // Distinct origins are kept apart (unless they share a slot, see below).
    await h.db.auditEvent.deleteMany();
    const origins = ['192.0.2.1', '192.0.2.2', '192.0.2.3'];
    for (const origin of origins) await recordAudit(h.db, { ...token, origin }, denied, at(10));
    const byOrigin = await h.db.auditEvent.findMany();
    expect(byOrigin.reduce((n, r) => n + r.count, 0)).toBe(3);
    for (const r of byOrigin) expect(origins.includes(r.origin!) || r.origin === MANY_ORIGINS).toBe(true);
  });

  it('forged X-Forwarded-For origins cannot grow the log: at most ORIGIN_SLOTS rows, and none claims one origin for another', async () => {
    for (let i = 0; i < 300; i++) await recordAudit(h.db, { ...token, origin: `203.0.113.${i % 250}-${i}` }, denied, at(i));
    const rows = await h.db.auditEvent.findMany();
    expect(rows.length).toBeLessThanOrEqual(ORIGIN_SLOTS);
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(300);
    for (const r of rows) if (r.count > 1) expect(r.origin).toBe(MANY_ORIGINS);
  });

  it('two instances counting the same flood at once lose no count and insert no duplicate', async () => {
    if (!usingPostgres) return; // PGlite is one connection: nothing runs concurrently there
    const second = await openDatabase({ url: h.url!, poolSize: 4 });
    try {
      await Promise.all(Array.from({ length: 40 }, (_, i) => recordAudit(i % 2 ? h.db : second.db, token, denied, at(i))));
    } finally {
      await second.close();
    }
    const rows = await h.db.auditEvent.findMany();
    expect(rows.map((r) => r.count)).toEqual([40]);
  });

  it('ok and error events are never merged', async () => {
    const cli: Actor = { type: 'cli', id: null, label: 'cli:x', origin: 'cli' };
    for (let i = 0; i < 3; i++) await recordAudit(h.db, cli, { action: 'token.create', summary: 'Created token' });
    for (let i = 0; i < 2; i++) await recordAudit(h.db, cli, { action: 'retention.scheduled', summary: 'failed', outcome: 'error' });
    const rows = await h.db.auditEvent.findMany();
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.count === 1 && r.lastAt === null && r.dedupeKey === null)).toBe(true);
  });

  it('works inside a caller’s transaction, and rolls back with it', async () => {
    await h.db
      .$transaction(async (tx) => {
        await recordAudit(tx, token, denied, at(0));
        await recordAudit(tx, token, denied, at(1));
        expect((await tx.auditEvent.findMany()).map((r) => r.count)).toEqual([2]);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await h.db.auditEvent.count()).toBe(0);
  });
});
