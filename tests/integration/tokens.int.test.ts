import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { createToken, listTokens, revokeToken, verifyToken } from '@/lib/services/tokens';
import { createUser } from '@/lib/services/users';
import { createTestDb, serviceError, type TestDb } from './helpers';

let h: TestDb;
const cli: Actor = { type: 'cli', id: null, label: 'cli:integration', origin: 'cli' };
const T0 = new Date('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});

/** Every row of every table in the public schema, as JSON text. */
async function wholeDatabaseText(): Promise<string> {
  const tables = await h.db.$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['api_tokens', 'audit_events']));
  let text = '';
  for (const { table_name } of tables) {
    const rows = await h.db.$queryRawUnsafe<{ j: string }[]>(`SELECT row_to_json(whole_row)::text AS j FROM "${table_name}" whole_row`);
    text += rows.map((r) => r.j).join('\n');
  }
  return text;
}

const bigintSafe = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

describe('tokens service', () => {
  it('createToken returns a stw_ secret that is never stored; only its sha256 is', async () => {
    const user = await createUser(h.db, cli, { email: 'ci-owner@example.com', name: 'CI owner', password: 'ci-owner-password' });
    const actor: Actor = { type: 'user', id: user.id, label: user.email, role: 'admin' };
    const { token, secret } = await createToken(h.db, actor, { name: ' ci-main ', scopes: ['ingest'] });
    expect(secret).toMatch(/^stw_[A-Za-z0-9_-]{32}$/);
    expect(token).toMatchObject({ name: 'ci-main', prefix: secret.slice(0, 10), scopes: ['ingest'], createdBy: 'ci-owner@example.com', lastUsedAt: null, revokedAt: null });

    const row = await h.db.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.hash).toBe(crypto.createHash('sha256').update(secret).digest('hex'));
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.createdById).toBe(user.id);

    const body = secret.slice(4);
    expect(JSON.stringify(await h.db.apiToken.findMany())).not.toContain(body);
    expect(bigintSafe(await h.db.auditEvent.findMany())).not.toContain(body);
    expect(await wholeDatabaseText()).not.toContain(body);

    const audit = await h.db.auditEvent.findMany({ where: { action: 'token.create', targetId: token.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!).toMatchObject({ targetId: token.id, actorLabel: 'ci-owner@example.com', actorType: 'user' });
    expect(audit[0]!.after).toEqual({ name: 'ci-main', prefix: secret.slice(0, 10), scopes: ['ingest'], projects: [] });
  });

  it('scopes are deduplicated and sorted, in the result and in the database', async () => {
    const { token } = await createToken(h.db, cli, { name: 'grafana', scopes: ['read', 'ingest', 'read', 'ingest'] });
    expect(token.scopes).toEqual(['ingest', 'read']);
    expect((await h.db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).scopes).toEqual(['ingest', 'read']);
    expect(token.createdBy).toBeNull();
  });

  it('empty scopes, unknown scopes and empty names are invalid and create nothing', async () => {
    const count = await h.db.apiToken.count();
    const audit = await h.db.auditEvent.count();
    const e1 = await serviceError(() => createToken(h.db, cli, { name: 'x', scopes: [] }));
    expect(e1.code).toBe('invalid');
    expect(e1.details).toEqual([{ field: 'scopes', message: 'choose at least one scope' }]);
    const e2 = await serviceError(() => createToken(h.db, cli, { name: 'x', scopes: ['admin' as never] }));
    expect(e2.code).toBe('invalid');
    expect(e2.details!.map((d) => d.field)).toEqual(['scopes[0]']);
    const e3 = await serviceError(() => createToken(h.db, cli, { name: '   ', scopes: ['read'] }));
    expect(e3.details!.map((d) => d.field)).toEqual(['name']);
    expect(await h.db.apiToken.count()).toBe(count);
    expect(await h.db.auditEvent.count()).toBe(audit);
  });

  it('verifyToken: ok, unknown, malformed', async () => {
    const { token, secret } = await createToken(h.db, cli, { name: 'verify-me', scopes: ['read', 'ingest'] });
    expect(await verifyToken(h.db, secret, T0)).toEqual({ ok: true, token: { id: token.id, name: 'verify-me', scopes: ['ingest', 'read'], projects: [] } });
    const unknown = `stw_${crypto.randomBytes(24).toString('base64url')}`;
    expect(await verifyToken(h.db, unknown, T0)).toEqual({ ok: false, reason: 'unknown' });
    for (const bad of ['', 'stw_', secret.slice(0, -1), `${secret}A`, `xyz_${secret.slice(4)}`, secret.replace(/^stw_./, 'stw_!'), ` ${secret}`]) {
      expect(await verifyToken(h.db, bad, T0), JSON.stringify(bad)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('lastUsedAt is set on first use, not rewritten within 60 s, rewritten after 61 s', async () => {
    const { token, secret } = await createToken(h.db, cli, { name: 'busy-ci', scopes: ['ingest'] });
    const lastUsed = async () => (await h.db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt?.toISOString() ?? null;
    expect(await lastUsed()).toBeNull();
    expect((await verifyToken(h.db, secret, T0)).ok).toBe(true);
    expect(await lastUsed()).toBe('2026-01-01T00:00:00.000Z');
    await verifyToken(h.db, secret, at(30_000));
    expect(await lastUsed()).toBe('2026-01-01T00:00:00.000Z');
    await verifyToken(h.db, secret, at(60_000));
    expect(await lastUsed()).toBe('2026-01-01T00:00:00.000Z');
    await verifyToken(h.db, secret, at(61_000));
    expect(await lastUsed()).toBe('2026-01-01T00:01:01.000Z');
    await verifyToken(h.db, secret, at(100_000));
    expect(await lastUsed()).toBe('2026-01-01T00:01:01.000Z');
    expect((await listTokens(h.db)).find((t) => t.id === token.id)!.lastUsedAt).toBe('2026-01-01T00:01:01.000Z');
  });

  it('a revoked token is refused; revoking twice is a conflict; unknown id is not_found', async () => {
    const { token, secret } = await createToken(h.db, cli, { name: 'to-revoke', scopes: ['read'] });
    const revoked = await revokeToken(h.db, cli, token.id, at(5_000));
    expect(revoked.revokedAt).toBe('2026-01-01T00:00:05.000Z');
    expect(await verifyToken(h.db, secret, T0)).toEqual({ ok: false, reason: 'revoked' });
    expect((await h.db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt).toBeNull();

    const auditBefore = await h.db.auditEvent.count();
    const e = await serviceError(() => revokeToken(h.db, cli, token.id, at(6_000)));
    expect(e.code).toBe('conflict');
    expect(e.message).toBe('Token "to-revoke" is already revoked');
    expect(await h.db.auditEvent.count()).toBe(auditBefore);
    expect((await serviceError(() => revokeToken(h.db, cli, 'no-such-id'))).code).toBe('not_found');

    const rows = await h.db.auditEvent.findMany({ where: { action: 'token.revoke', targetId: token.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!).toMatchObject({ targetId: token.id, actorLabel: 'cli:integration', summary: 'Revoked token "to-revoke"' });
    expect(rows[0]!.before).toEqual({ revokedAt: null });
    expect(rows[0]!.after).toEqual({ revokedAt: revoked.revokedAt });
  });

  it('no secret handed out in this file appears anywhere in the database', async () => {
    const secrets: string[] = [];
    for (const name of ['a', 'b', 'c']) secrets.push((await createToken(h.db, cli, { name, scopes: ['read'] })).secret);
    await revokeToken(h.db, cli, (await h.db.apiToken.findFirstOrThrow({ where: { name: 'b' } })).id);
    const text = await wholeDatabaseText();
    for (const s of secrets) expect(text).not.toContain(s.slice(4));
    expect(text).toContain(secrets[0]!.slice(0, 10));
  });
});
