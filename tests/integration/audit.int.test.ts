import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { auditFilterSchema, listAudit, listAuditActions, recordAudit } from '@/lib/services/audit';
import { createTestDb, type TestDb } from './helpers';

let h: TestDb;

// Fixed rows, oldest first. Two share the same instant to check the id tie-break.
const ROWS = [
  { at: '2026-03-01T10:00:00.000Z', actorLabel: 'Alice@Example.com', action: 'user.create', outcome: 'ok' },
  { at: '2026-03-02T10:00:00.000Z', actorLabel: 'bob@example.com', action: 'user.update', outcome: 'ok' },
  { at: '2026-03-03T10:00:00.000Z', actorLabel: 'ci-main', action: 'token.create', outcome: 'ok' },
  { at: '2026-03-04T10:00:00.000Z', actorLabel: 'alice@example.com', action: 'token.revoke', outcome: 'denied' },
  { at: '2026-03-05T10:00:00.000Z', actorLabel: 'cli:root', action: 'users.import', outcome: 'error' },
  { at: '2026-03-05T10:00:00.000Z', actorLabel: 'MALICE.ops@example.com', action: 'auth.login', outcome: 'ok' },
] as const;

/** Labels of the listed rows, so a failure shows which rows came back. */
async function labels(filter: Record<string, unknown>): Promise<string[]> {
  const r = await listAudit(h.db, auditFilterSchema.parse(filter));
  return r.rows.map((x) => `${x.actorLabel} ${x.action}`);
}
const L = (i: number) => `${ROWS[i]!.actorLabel} ${ROWS[i]!.action}`;

beforeAll(async () => {
  h = await createTestDb();
  for (const r of ROWS) {
    await h.db.auditEvent.create({ data: { ...r, at: new Date(r.at), actorType: 'user', summary: `${r.action} by ${r.actorLabel}` } });
  }
});
afterAll(async () => {
  await h?.close();
});

describe('listAudit', () => {
  it('lists newest first, ties broken by newest id, with defaults page 1 / pageSize 50', async () => {
    const r = await listAudit(h.db, auditFilterSchema.parse({}));
    expect(r.total).toBe(6);
    expect([r.page, r.pageSize]).toEqual([1, 50]);
    expect(r.rows.map((x) => `${x.actorLabel} ${x.action}`)).toEqual([L(5), L(4), L(3), L(2), L(1), L(0)]);
    expect(r.rows.map((x) => x.at)).toEqual([ROWS[5].at, ROWS[4].at, ROWS[3].at, ROWS[2].at, ROWS[1].at, ROWS[0].at]);
    expect(r.rows[3]).toMatchObject({ outcome: 'ok', summary: 'token.create by ci-main', target: null, before: null, after: null });
    expect(typeof r.rows[0]!.id).toBe('string');
    expect(BigInt(r.rows[0]!.id)).toBeGreaterThan(BigInt(r.rows[1]!.id));
  });

  it('filters by actor substring, case-insensitively', async () => {
    expect(await labels({ actor: 'ALICE' })).toEqual([L(5), L(3), L(0)]);
    expect(await labels({ actor: 'alice@' })).toEqual([L(3), L(0)]);
    expect(await labels({ actor: 'nobody' })).toEqual([]);
  });

  it('filters by action prefix (not substring)', async () => {
    expect(await labels({ action: 'token.' })).toEqual([L(3), L(2)]);
    expect(await labels({ action: 'user' })).toEqual([L(4), L(1), L(0)]);
    expect(await labels({ action: 'user.' })).toEqual([L(1), L(0)]);
    expect(await labels({ action: 'create' })).toEqual([]);
  });

  it('filters by outcome', async () => {
    expect(await labels({ outcome: 'denied' })).toEqual([L(3)]);
    expect(await labels({ outcome: 'error' })).toEqual([L(4)]);
    expect((await listAudit(h.db, auditFilterSchema.parse({ outcome: 'ok' }))).total).toBe(4);
  });

  it('from/to boundaries are inclusive', async () => {
    expect(await labels({ from: '2026-03-02T10:00:00.000Z', to: '2026-03-04T10:00:00.000Z' })).toEqual([L(3), L(2), L(1)]);
    expect(await labels({ from: '2026-03-02T10:00:00.001Z', to: '2026-03-04T09:59:59.999Z' })).toEqual([L(2)]);
    expect(await labels({ from: '2026-03-05T10:00:00.000Z' })).toEqual([L(5), L(4)]);
    expect(await labels({ to: '2026-03-01T10:00:00.000Z' })).toEqual([L(0)]);
  });

  it('combines filters', async () => {
    expect(await labels({ actor: 'alice', action: 'token', outcome: 'denied', from: '2026-03-04T00:00:00Z' })).toEqual([L(3)]);
    expect(await labels({ actor: 'alice', outcome: 'ok', to: '2026-03-04T00:00:00Z' })).toEqual([L(0)]);
  });

  it('paginates: page 2 of pageSize 2 gives the 3rd and 4th newest, total counts all matches', async () => {
    const p2 = await listAudit(h.db, auditFilterSchema.parse({ page: '2', pageSize: '2' }));
    expect(p2.rows.map((x) => `${x.actorLabel} ${x.action}`)).toEqual([L(3), L(2)]);
    expect([p2.total, p2.page, p2.pageSize]).toEqual([6, 2, 2]);
    const p3 = await listAudit(h.db, auditFilterSchema.parse({ page: 3, pageSize: 2 }));
    expect(p3.rows.map((x) => `${x.actorLabel} ${x.action}`)).toEqual([L(1), L(0)]);
    const p4 = await listAudit(h.db, auditFilterSchema.parse({ page: 4, pageSize: 2 }));
    expect([p4.rows.length, p4.total]).toEqual([0, 6]);
    const filtered = await listAudit(h.db, auditFilterSchema.parse({ actor: 'alice', page: 2, pageSize: 2 }));
    expect(filtered.rows.map((x) => `${x.actorLabel} ${x.action}`)).toEqual([L(0)]);
    expect(filtered.total).toBe(3);
  });

  // The other tests count the six fixed rows: this one removes the row it adds, so order does not matter.
  it('recordAudit stores actor, target, before/after and origin; listAuditActions is distinct and sorted', async () => {
    const actor: Actor = { type: 'token', id: 'tok-1', label: 'ci-main', scopes: ['ingest'], origin: '192.0.2.7' };
    await recordAudit(h.db, actor, { action: 'zz.test', targetType: 'token', targetId: 'tok-1', summary: 's', before: { a: 1 }, after: { a: 2, d: new Date('2026-01-01T00:00:00Z') } });
    try {
      const { rows } = await listAudit(h.db, auditFilterSchema.parse({ action: 'zz.' }));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actorType: 'token', actorLabel: 'ci-main', target: 'token:tok-1', outcome: 'ok', origin: '192.0.2.7', before: { a: 1 }, after: { a: 2, d: '2026-01-01T00:00:00.000Z' } });
      expect(await listAuditActions(h.db)).toEqual(['auth.login', 'token.create', 'token.revoke', 'user.create', 'user.update', 'users.import', 'zz.test']);
    } finally {
      await h.db.auditEvent.deleteMany({ where: { action: 'zz.test' } });
    }
  });
});
