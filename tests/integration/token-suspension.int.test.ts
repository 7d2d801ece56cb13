// A token never outlives its owner's standing: disabled owner → suspended; demoted owner → only
// the scopes the owner's current role covers (lib/services/tokens.ts, lib/engine/token-scopes.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { createToken, listTokens, tokenRefusalMessage, verifyToken } from '@/lib/services/tokens';
import { createUser, updateUser } from '@/lib/services/users';
import { createTestDb, type TestDb } from './helpers';

let h: TestDb;
const cli: Actor = { type: 'cli', id: null, label: 'cli:integration', origin: 'cli' };
const now = new Date('2026-03-01T00:00:00Z');

beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});

async function adminWithToken(email: string, scopes: ('ingest' | 'read')[]) {
  const user = await createUser(h.db, cli, { email, name: email, password: 'owner-password-1', role: 'admin' });
  const actor: Actor = { type: 'user', id: user.id, label: user.email, role: 'admin' };
  const { token, secret } = await createToken(h.db, actor, { name: `${email}-ci`, scopes });
  return { user, token, secret };
}
const listed = async (id: string) => (await listTokens(h.db)).find((t) => t.id === id)!;

describe('token suspension follows the owner', () => {
  // A second admin keeps the "last active admin" rule out of the way.
  beforeAll(async () => {
    await createUser(h.db, cli, { email: 'keeper@example.com', name: 'Keeper', password: 'keeper-password-1', role: 'admin' });
  });

  it('disabling the owner suspends the token at once; re-enabling restores it', async () => {
    const { user, token, secret } = await adminWithToken('owner@example.com', ['ingest', 'read']);
    expect(await verifyToken(h.db, secret, now)).toMatchObject({ ok: true, token: { scopes: ['ingest', 'read'] } });

    await updateUser(h.db, cli, { userId: user.id, disabled: true });
    const refused = await verifyToken(h.db, secret, now);
    expect(refused).toEqual({ ok: false, reason: 'suspended', detail: 'owner disabled' });
    expect(tokenRefusalMessage(refused as Extract<typeof refused, { ok: false }>)).toBe('This API token is suspended: owner disabled.');
    expect(await listed(token.id)).toMatchObject({ status: 'suspended', statusNote: 'owner disabled', effectiveScopes: [], revokedAt: null });
    // The audit row says what happened to the owner's tokens.
    const audit = await h.db.auditEvent.findFirstOrThrow({ where: { action: 'user.update', targetId: user.id }, orderBy: { id: 'desc' } });
    expect(audit.summary).toBe('owner@example.com: disabled, 1 API token suspended');

    await updateUser(h.db, cli, { userId: user.id, disabled: false });
    expect(await verifyToken(h.db, secret, now)).toMatchObject({ ok: true, token: { id: token.id, scopes: ['ingest', 'read'] } });
    expect(await listed(token.id)).toMatchObject({ status: 'active', statusNote: null, effectiveScopes: ['ingest', 'read'] });
  });

  it('a suspended token does not even record a last use', async () => {
    const { user, token, secret } = await adminWithToken('quiet@example.com', ['read']);
    await updateUser(h.db, cli, { userId: user.id, disabled: true });
    await verifyToken(h.db, secret, now);
    expect((await h.db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt).toBeNull();
  });

  it('an owner demoted to viewer keeps only read; to operator keeps ingest and read', async () => {
    const { user, token, secret } = await adminWithToken('demoted@example.com', ['ingest', 'read']);
    await updateUser(h.db, cli, { userId: user.id, role: 'viewer' });
    expect(await verifyToken(h.db, secret, now)).toMatchObject({ ok: true, token: { scopes: ['read'] } });
    expect(await listed(token.id)).toMatchObject({ status: 'limited', statusNote: 'owner is viewer: only read', scopes: ['ingest', 'read'], effectiveScopes: ['read'] });
    await updateUser(h.db, cli, { userId: user.id, role: 'operator' });
    expect(await verifyToken(h.db, secret, now)).toMatchObject({ ok: true, token: { scopes: ['ingest', 'read'] } });
    expect((await listed(token.id)).status).toBe('active');
  });

  it('an ingest-only token whose owner becomes a viewer is suspended (no scope left)', async () => {
    const { user, token, secret } = await adminWithToken('ingest-only@example.com', ['ingest']);
    await updateUser(h.db, cli, { userId: user.id, role: 'viewer' });
    expect(await verifyToken(h.db, secret, now)).toEqual({ ok: false, reason: 'suspended', detail: "owner's role (viewer) covers none of its scopes" });
    expect((await listed(token.id)).status).toBe('suspended');
  });

  it('CLI tokens have no owner and keep their scopes; revoked stays revoked even with an active owner', async () => {
    const { token, secret } = await createToken(h.db, cli, { name: 'machine', scopes: ['ingest', 'read'] });
    expect(await verifyToken(h.db, secret, now)).toMatchObject({ ok: true, token: { scopes: ['ingest', 'read'] } });
    expect((await listed(token.id)).status).toBe('active');
    await h.db.apiToken.update({ where: { id: token.id }, data: { revokedAt: now } });
    expect(await verifyToken(h.db, secret, now)).toEqual({ ok: false, reason: 'revoked' });
    expect((await listed(token.id)).status).toBe('revoked');
  });
});
