import crypto from 'node:crypto';
import { verifyPassword } from 'better-auth/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { createFirstAdmin, createUser, listUsers, updateUser } from '@/lib/services/users';
import { createTestDb, serviceError, type TestDb } from './helpers';

// Every test makes its own users (unique emails) and counts relative to what it made, so they run
// in any order. The first-admin and last-admin rules look at every user in the database: those
// tests get a database of their own.
let h: TestDb;
const actor: Actor = { type: 'cli', id: null, label: 'cli:integration', origin: 'cli' };

beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});

const unique = (name: string) => `${name}-${crypto.randomBytes(4).toString('hex')}@example.com`;
const auditOf = (db: TestDb['db'], targetId: string) => db.auditEvent.findMany({ where: { targetId }, orderBy: { id: 'asc' } });

async function addSession(db: TestDb['db'], userId: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.session.create({
    data: { id, token: crypto.randomBytes(16).toString('hex'), userId, expiresAt: new Date('2100-01-01T00:00:00Z'), updatedAt: new Date('2026-01-01T00:00:00Z') },
  });
  return id;
}

/** A fresh database for a test that depends on every user in it; closed when `fn` ends. */
async function withOwnDb(fn: (db: TestDb['db']) => Promise<void>): Promise<void> {
  const own = await createTestDb();
  try {
    await fn(own.db);
  } finally {
    await own.close();
  }
}

describe('first admin (an empty database)', () => {
  it('5 concurrent createFirstAdmin calls create exactly one admin; later calls return null and create nothing', () =>
    withOwnDb(async (db) => {
      const results = await Promise.all(
        [0, 1, 2, 3, 4].map((i) => createFirstAdmin(db, actor, { email: `Root${i}@Example.com`, name: `Root ${i}`, password: 'correct horse battery' })),
      );
      const created = results.filter((r) => r !== null);
      expect(created).toHaveLength(1);
      expect(created[0]!.role).toBe('admin');
      expect(created[0]!.email).toMatch(/^root[0-4]@example\.com$/);
      const adminId = created[0]!.id;
      expect((await db.user.findMany()).map((u) => [u.id, u.role, u.disabled])).toEqual([[adminId, 'admin', false]]);
      expect((await db.auditEvent.findMany()).map((a) => [a.action, a.targetId, a.actorLabel])).toEqual([['user.setup', adminId, 'cli:integration']]);

      expect(await createFirstAdmin(db, actor, { email: 'late@example.com', name: 'Late', password: 'correct horse battery' })).toBeNull();
      expect(await db.user.count()).toBe(1);
      expect(await db.auditEvent.count()).toBe(1);
    }));
});

describe('createUser', () => {
  it('lowercases the email, stores a scrypt hash (not the password) and writes one audit row', async () => {
    const email = unique('Alice');
    const u = await createUser(h.db, actor, { email: `  ${email.toUpperCase()} `, name: ' Alice ', password: 'alice-password-1', role: 'operator' });
    expect(u).toMatchObject({ email: email.toLowerCase(), name: 'Alice', role: 'operator', disabled: false });
    const row = await h.db.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.email).toBe(email.toLowerCase());
    const accounts = await h.db.account.findMany({ where: { userId: u.id } });
    expect(accounts).toHaveLength(1);
    expect(accounts[0]!).toMatchObject({ providerId: 'credential', accountId: u.id });
    const hash = accounts[0]!.password!;
    expect(hash).not.toContain('alice-password-1');
    expect(await verifyPassword({ hash, password: 'alice-password-1' })).toBe(true);
    expect(await verifyPassword({ hash, password: 'alice-password-2' })).toBe(false);
    const audit = await auditOf(h.db, u.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]!).toMatchObject({ action: 'user.create', targetType: 'user', targetId: u.id, actorType: 'cli', actorLabel: 'cli:integration', outcome: 'ok', origin: 'cli' });
    expect(audit[0]!.after).toEqual({ email: email.toLowerCase(), name: 'Alice', role: 'operator' });
  });

  it('defaults the role to viewer', async () => {
    const u = await createUser(h.db, actor, { email: unique('viewer'), name: 'Vee', password: 'viewer-password' });
    expect(u.role).toBe('viewer');
  });

  it('a duplicate email (any case) is a conflict and writes nothing', async () => {
    const email = unique('dup');
    await createUser(h.db, actor, { email, name: 'First', password: 'first-password' });
    const [users, audit] = [await h.db.user.count(), await h.db.auditEvent.count()];
    const e = await serviceError(() => createUser(h.db, actor, { email: email.toUpperCase(), name: 'Other', password: 'another-password' }));
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
    const email = unique('ok');
    const e2 = await serviceError(() => createUser(h.db, actor, { email, name: 'X', password: 'long-enough-pw', role: 'root' as never }));
    expect(e2.code).toBe('invalid');
    expect(e2.details!.map((d) => d.field)).toEqual(['role']);
    expect(await h.db.user.findUnique({ where: { email } })).toBeNull();
  });
});

describe('updateUser', () => {
  it('a role change writes one audit row with before/after and the actor label', async () => {
    const u = await createUser(h.db, actor, { email: unique('bob'), name: 'Bob', password: 'bob-password-1' });
    const who: Actor = { type: 'user', id: 'admin-id', label: 'root@example.com', role: 'admin', origin: '10.0.0.1' };
    const after = await updateUser(h.db, who, { userId: u.id, role: 'operator' });
    expect(after).toMatchObject({ id: u.id, role: 'operator', disabled: false });
    const rows = (await auditOf(h.db, u.id)).filter((a) => a.action === 'user.update');
    expect(rows).toHaveLength(1);
    expect(rows[0]!).toMatchObject({ actorType: 'user', actorId: 'admin-id', actorLabel: 'root@example.com', origin: '10.0.0.1', targetId: u.id, summary: `${u.email}: role viewer → operator` });
    expect(rows[0]!.before).toEqual({ role: 'viewer', disabled: false });
    expect(rows[0]!.after).toEqual({ role: 'operator', disabled: false });
  });

  it("disabling a user deletes that user's sessions only, with one audit row", async () => {
    const bob = await createUser(h.db, actor, { email: unique('bob'), name: 'Bob', password: 'bob-password-1', role: 'operator' });
    const alice = await createUser(h.db, actor, { email: unique('alice'), name: 'Alice', password: 'alice-password-1' });
    await addSession(h.db, bob.id);
    await addSession(h.db, bob.id);
    const aliceSession = await addSession(h.db, alice.id);
    const r = await updateUser(h.db, actor, { userId: bob.id, disabled: true });
    expect(r.disabled).toBe(true);
    expect(await h.db.session.count({ where: { userId: bob.id } })).toBe(0);
    expect((await h.db.session.findMany({ where: { userId: alice.id } })).map((s) => s.id)).toEqual([aliceSession]);
    const audit = (await auditOf(h.db, bob.id)).filter((a) => a.action === 'user.update');
    expect(audit.map((a) => [a.actorLabel, a.summary, a.after])).toEqual([['cli:integration', `${bob.email}: disabled`, { role: 'operator', disabled: true }]]);
  });

  it('updating an unknown user is not_found', async () => {
    const e = await serviceError(() => updateUser(h.db, actor, { userId: 'nope', role: 'admin' }));
    expect(e.code).toBe('not_found');
  });
});

describe('the last active admin (own database: the rule counts every admin)', () => {
  it('demoting or disabling the last active admin is refused and nothing changes', () =>
    withOwnDb(async (db) => {
      const admin = await createUser(db, actor, { email: unique('admin'), name: 'A', password: 'admin-password-1', role: 'admin' });
      await createUser(db, actor, { email: unique('disabled-admin'), name: 'D', password: 'admin-password-2', role: 'admin' }).then((d) => updateUser(db, actor, { userId: d.id, disabled: true }));
      await addSession(db, admin.id);
      const before = await db.user.findUniqueOrThrow({ where: { id: admin.id } });
      const audit = await db.auditEvent.count();
      for (const change of [{ role: 'operator' as const }, { disabled: true }, { role: 'viewer' as const, disabled: true }]) {
        const e = await serviceError(() => updateUser(db, actor, { userId: admin.id, ...change }));
        expect(e.code).toBe('conflict');
        expect(e.message).toBe('This is the last active admin; make another user admin first.');
      }
      const now = await db.user.findUniqueOrThrow({ where: { id: admin.id } });
      expect([now.role, now.disabled, now.updatedAt.getTime()]).toEqual(['admin', false, before.updatedAt.getTime()]);
      expect(await db.session.count({ where: { userId: admin.id } })).toBe(1);
      expect(await db.auditEvent.count()).toBe(audit);
    }));

  it('with two active admins one may step down; the remaining one may not be disabled', () =>
    withOwnDb(async (db) => {
      const first = await createUser(db, actor, { email: unique('first'), name: 'F', password: 'admin-password-1', role: 'admin' });
      const second = await createUser(db, actor, { email: unique('second'), name: 'S', password: 'admin-password-2', role: 'operator' });
      await updateUser(db, actor, { userId: second.id, role: 'admin' });
      expect((await updateUser(db, actor, { userId: first.id, role: 'viewer' })).role).toBe('viewer');
      const e = await serviceError(() => updateUser(db, actor, { userId: second.id, disabled: true }));
      expect(e.code).toBe('conflict');
      expect((await listUsers(db)).filter((u) => u.role === 'admin' && !u.disabled).map((u) => u.email)).toEqual([second.email]);
    }));
});
