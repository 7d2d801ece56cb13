import crypto from 'node:crypto';
import { verifyPassword } from 'better-auth/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { createFirstAdmin, createUser, listUsers, updateUser } from '@/lib/services/users';
import { createTestDb, serviceError, type TestDb } from './helpers';

let h: TestDb;
const actor: Actor = { type: 'cli', id: null, label: 'cli:integration', origin: 'cli' };

beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});


async function addSession(userId: string): Promise<string> {
  const id = crypto.randomUUID();
  await h.db.session.create({
    data: { id, token: crypto.randomBytes(16).toString('hex'), userId, expiresAt: new Date(Date.now() + 3600_000), updatedAt: new Date() },
  });
  return id;
}

// The tests run in order against one database: the first-admin tests need it empty.
describe('users service', () => {
  let adminId = '';

  it('5 concurrent createFirstAdmin calls create exactly one admin', async () => {
    const results = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => createFirstAdmin(h.db, actor, { email: `Root${i}@Example.com`, name: `Root ${i}`, password: 'correct horse battery' })),
    );
    const created = results.filter((r) => r !== null);
    expect(created).toHaveLength(1);
    expect(created[0]!.role).toBe('admin');
    expect(created[0]!.email).toMatch(/^root[0-4]@example\.com$/);
    adminId = created[0]!.id;
    const users = await h.db.user.findMany();
    expect(users.map((u) => [u.id, u.role, u.disabled])).toEqual([[adminId, 'admin', false]]);
    const audit = await h.db.auditEvent.findMany();
    expect(audit.map((a) => [a.action, a.targetId, a.actorLabel])).toEqual([['user.setup', adminId, 'cli:integration']]);
  });

  it('createFirstAdmin returns null once a user exists and creates nothing', async () => {
    const r = await createFirstAdmin(h.db, actor, { email: 'late@example.com', name: 'Late', password: 'correct horse battery' });
    expect(r).toBeNull();
    expect(await h.db.user.count()).toBe(1);
    expect(await h.db.auditEvent.count()).toBe(1);
  });

  it('createUser lowercases the email, stores a scrypt hash (not the password) and writes one audit row', async () => {
    const auditBefore = await h.db.auditEvent.count();
    const u = await createUser(h.db, actor, { email: '  Alice@Example.COM ', name: ' Alice ', password: 'alice-password-1', role: 'operator' });
    expect(u).toMatchObject({ email: 'alice@example.com', name: 'Alice', role: 'operator', disabled: false });
    const row = await h.db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.email).toBe('alice@example.com');
    const accounts = await h.db.account.findMany({ where: { userId: u.id } });
    expect(accounts).toHaveLength(1);
    expect(accounts[0]!).toMatchObject({ providerId: 'credential', accountId: u.id });
    const hash = accounts[0]!.password!;
    expect(hash).not.toBe('alice-password-1');
    expect(hash).not.toContain('alice-password-1');
    expect(await verifyPassword({ hash, password: 'alice-password-1' })).toBe(true);
    expect(await verifyPassword({ hash, password: 'alice-password-2' })).toBe(false);
    const audit = await h.db.auditEvent.findMany({ orderBy: { id: 'asc' }, skip: auditBefore });
    expect(audit).toHaveLength(1);
    expect(audit[0]!).toMatchObject({ action: 'user.create', targetType: 'user', targetId: u.id, actorType: 'cli', actorLabel: 'cli:integration', outcome: 'ok', origin: 'cli' });
    expect(audit[0]!.after).toEqual({ email: 'alice@example.com', name: 'Alice', role: 'operator' });
  });

  it('createUser defaults the role to viewer', async () => {
    const u = await createUser(h.db, actor, { email: 'viewer@example.com', name: 'Vee', password: 'viewer-password' });
    expect(u.role).toBe('viewer');
  });

  it('a duplicate email (any case) is a conflict and writes nothing', async () => {
    const [users, audit] = [await h.db.user.count(), await h.db.auditEvent.count()];
    const e = await serviceError(() => createUser(h.db, actor, { email: 'ALICE@example.com', name: 'Other', password: 'another-password' }));
    expect(e.code).toBe('conflict');
    expect(e.details).toEqual([{ field: 'email', message: 'is already taken' }]);
    expect(await h.db.user.count()).toBe(users);
    expect(await h.db.auditEvent.count()).toBe(audit);
  });

  it('bad input is invalid with details naming the fields', async () => {
    const e = await serviceError(() => createUser(h.db, actor, { email: 'not-an-email', name: 'X', password: 'short' }));
    expect(e.code).toBe('invalid');
    expect(e.details!.map((d) => d.field).sort()).toEqual(['email', 'password']);
    expect(e.details!.find((d) => d.field === 'password')!.message).toBe('must be at least 10 characters');
    const e2 = await serviceError(() => createUser(h.db, actor, { email: 'ok@example.com', name: 'X', password: 'long-enough-pw', role: 'root' as never }));
    expect(e2.code).toBe('invalid');
    expect(e2.details!.map((d) => d.field)).toEqual(['role']);
    expect(await h.db.user.findUnique({ where: { email: 'ok@example.com' } })).toBeNull();
  });

  it('a role change writes one audit row with before/after and the actor label', async () => {
    const u = await createUser(h.db, actor, { email: 'bob@example.com', name: 'Bob', password: 'bob-password-1' });
    const auditBefore = await h.db.auditEvent.count();
    const who: Actor = { type: 'user', id: adminId, label: 'root@example.com', role: 'admin', origin: '10.0.0.1' };
    const after = await updateUser(h.db, who, { userId: u.id, role: 'operator' });
    expect(after).toMatchObject({ id: u.id, role: 'operator', disabled: false });
    const rows = await h.db.auditEvent.findMany({ where: { action: 'user.update' } });
    expect(await h.db.auditEvent.count()).toBe(auditBefore + 1);
    expect(rows).toHaveLength(1);
    expect(rows[0]!).toMatchObject({ actorType: 'user', actorId: adminId, actorLabel: 'root@example.com', origin: '10.0.0.1', targetId: u.id, summary: 'bob@example.com: role viewer → operator' });
    expect(rows[0]!.before).toEqual({ role: 'viewer', disabled: false });
    expect(rows[0]!.after).toEqual({ role: 'operator', disabled: false });
  });

  it("disabling a user deletes that user's sessions only", async () => {
    const [bob, alice] = [await h.db.user.findUniqueOrThrow({ where: { email: 'bob@example.com' } }), await h.db.user.findUniqueOrThrow({ where: { email: 'alice@example.com' } })];
    await addSession(bob.id);
    await addSession(bob.id);
    const aliceSession = await addSession(alice.id);
    const auditBefore = await h.db.auditEvent.count();
    const r = await updateUser(h.db, actor, { userId: bob.id, disabled: true });
    expect(r.disabled).toBe(true);
    expect(await h.db.session.count({ where: { userId: bob.id } })).toBe(0);
    expect((await h.db.session.findMany()).map((s) => s.id)).toEqual([aliceSession]);
    const audit = await h.db.auditEvent.findMany({ orderBy: { id: 'desc' }, take: 2 });
    expect(await h.db.auditEvent.count()).toBe(auditBefore + 1);
    expect(audit[0]!).toMatchObject({ action: 'user.update', actorLabel: 'cli:integration', summary: 'bob@example.com: disabled' });
    expect(audit[0]!.after).toEqual({ role: 'operator', disabled: true });
  });

  it('demoting or disabling the last active admin is refused and nothing changes', async () => {
    const admin = await h.db.user.findUniqueOrThrow({ where: { id: adminId } });
    await addSession(adminId);
    const audit = await h.db.auditEvent.count();
    for (const change of [{ role: 'operator' as const }, { disabled: true }, { role: 'viewer' as const, disabled: true }]) {
      const e = await serviceError(() => updateUser(h.db, actor, { userId: adminId, ...change }));
      expect(e.code).toBe('conflict');
      expect(e.message).toMatch(/last active admin/);
    }
    const now = await h.db.user.findUniqueOrThrow({ where: { id: adminId } });
    expect([now.role, now.disabled, now.updatedAt.getTime()]).toEqual(['admin', false, admin.updatedAt.getTime()]);
    expect(await h.db.session.count({ where: { userId: adminId } })).toBe(1);
    expect(await h.db.auditEvent.count()).toBe(audit);
  });

  it('with two active admins one may step down; the remaining one may not be disabled', async () => {
    const alice = await h.db.user.findUniqueOrThrow({ where: { email: 'alice@example.com' } });
    await updateUser(h.db, actor, { userId: alice.id, role: 'admin' });
    // Two active admins: the first one may step down.
    expect((await updateUser(h.db, actor, { userId: adminId, role: 'viewer' })).role).toBe('viewer');
    const e = await serviceError(() => updateUser(h.db, actor, { userId: alice.id, disabled: true }));
    expect(e.code).toBe('conflict');
    expect((await listUsers(h.db)).filter((u) => u.role === 'admin' && !u.disabled).map((u) => u.email)).toEqual(['alice@example.com']);
  });

  it('updating an unknown user is not_found', async () => {
    const e = await serviceError(() => updateUser(h.db, actor, { userId: 'nope', role: 'admin' }));
    expect(e.code).toBe('not_found');
  });
});
