/**
 * The edges of lib/services/tokens.ts that StrykerJS found untested (issue #12): the input
 * schema's limits (name length, project keys, dedupe/sort), the exact secret format verifyToken
 * accepts, every refusal message, the standing of a token from its owner's row, the audit rows of
 * create and revoke, and the list order. Pinned clock throughout.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { createToken, hashToken, listTokens, revokeToken, tokenRefusalMessage, tokenStanding, verifyToken } from '@/lib/services/tokens';
import { createUser, updateUser } from '@/lib/services/users';
import { createTestDb, serviceError, type TestDb } from './helpers';

let h: TestDb;
const cli: Actor = { type: 'cli', id: null, label: 'cli:mutants', origin: 'cli' };
const T0 = new Date('2026-02-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

beforeAll(async () => {
  h = await createTestDb();
  // A second admin keeps the "last active admin" rule out of the way when owners are changed.
  await createUser(h.db, cli, { email: 'keeper@example.com', name: 'Keeper', password: 'keeper-password-1', role: 'admin' });
});
afterAll(async () => {
  await h?.close();
});

let n = 0;
async function admin() {
  const user = await createUser(h.db, cli, { email: `owner${++n}@example.com`, name: `Owner ${n}`, password: 'owner-password-1', role: 'admin' });
  const actor: Actor = { type: 'user', id: user.id, label: user.email, role: 'admin' };
  return { user, actor };
}

/** Stores a token whose secret the test chose (createToken's are random). */
async function tokenWithSecret(secret: string, data: { projects?: string[]; createdById?: string | null } = {}) {
  const id = crypto.randomUUID();
  await h.db.apiToken.create({ data: { id, name: `fixed-${id.slice(0, 8)}`, prefix: secret.slice(0, 10), hash: hashToken(secret), scopes: ['read'], projects: data.projects ?? [], createdById: data.createdById ?? null, createdAt: T0 } });
  return id;
}

const issues = async (raw: Parameters<typeof createToken>[2]) => (await serviceError(() => createToken(h.db, cli, raw, T0))).details;

describe('newTokenSchema through createToken', () => {
  it('a name is trimmed, required and at most 80 characters', async () => {
    expect((await createToken(h.db, cli, { name: 'n'.repeat(80), scopes: ['read'] }, T0)).token.name).toBe('n'.repeat(80));
    expect(await issues({ name: 'n'.repeat(81), scopes: ['read'] })).toEqual([{ field: 'name', message: expect.stringMatching(/80/) }]);
    expect((await createToken(h.db, cli, { name: `  ${'m'.repeat(80)}  `, scopes: ['read'] }, T0)).token.name).toBe('m'.repeat(80));
    expect(await issues({ name: '', scopes: ['read'] })).toEqual([{ field: 'name', message: 'is required' }]);
  });

  it('project keys: lowercase letters, digits and . _ - after a letter or digit, 1 to 64 characters; trimmed, deduplicated, sorted', async () => {
    const ok = ['a', '0', `a${'b'.repeat(63)}`, 'web.app_v2-x', 'z9'];
    const { token } = await createToken(h.db, cli, { name: 'projects', scopes: ['read'], projects: [' z9 ', ...ok, 'a'] }, T0);
    expect(token.projects).toEqual(['0', 'a', `a${'b'.repeat(63)}`, 'web.app_v2-x', 'z9']);
    expect((await h.db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).projects).toEqual(token.projects);

    const message = 'must be a project key (lowercase letters, digits, . _ -)';
    for (const bad of [`a${'b'.repeat(64)}`, '', '.a', '_a', '-a', 'Web', 'a b', 'a/b', 'a!', 'é']) {
      expect(await issues({ name: 'bad', scopes: ['read'], projects: [bad] }), JSON.stringify(bad)).toEqual([{ field: 'projects[0]', message }]);
    }
  });

  it('at most 100 project keys; none given means every project ([])', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `p${String(i).padStart(3, '0')}`);
    expect((await createToken(h.db, cli, { name: 'hundred', scopes: ['read'], projects: keys }, T0)).token.projects).toEqual(keys);
    expect(await issues({ name: 'too-many', scopes: ['read'], projects: [...keys, 'p100'] })).toEqual([{ field: 'projects', message: expect.stringMatching(/100/) }]);
    const { token } = await createToken(h.db, cli, { name: 'all-projects', scopes: ['read'] }, T0);
    expect(token.projects).toEqual([]);
  });
});

describe('createToken', () => {
  it('stores prefix, owner and time; the audit row is exact', async () => {
    const { user, actor } = await admin();
    const { token, secret } = await createToken(h.db, actor, { name: 'deploy', scopes: ['read', 'ingest'], projects: ['web'] }, at(1234));
    expect(token).toEqual({
      id: token.id, name: 'deploy', prefix: secret.slice(0, 10), scopes: ['ingest', 'read'], projects: ['web'], effectiveScopes: ['ingest', 'read'],
      status: 'active', statusNote: null, createdAt: at(1234).toISOString(), createdBy: user.email, lastUsedAt: null, revokedAt: null,
    });
    expect(token.prefix).toMatch(/^stw_[A-Za-z0-9_-]{6}$/);
    const row = await h.db.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect([row.prefix, row.createdById, row.createdAt.toISOString()]).toEqual([secret.slice(0, 10), user.id, at(1234).toISOString()]);
    const audit = await h.db.auditEvent.findMany({ where: { targetId: token.id } });
    expect(audit.map((a) => ({ at: a.at.toISOString(), action: a.action, targetType: a.targetType, summary: a.summary, actorLabel: a.actorLabel }))).toEqual([
      { at: at(1234).toISOString(), action: 'token.create', targetType: 'token', summary: 'Created token "deploy" (ingest, read)', actorLabel: user.email },
    ]);
  });

  it('only a user owns the tokens it creates: one made by a token or a system job has no owner', async () => {
    const parent = await createToken(h.db, cli, { name: 'parent', scopes: ['ingest'] }, T0);
    const byToken: Actor = { type: 'token', id: parent.token.id, label: 'token:parent', scopes: ['ingest'] };
    const child = await createToken(h.db, byToken, { name: 'child', scopes: ['read'] }, T0);
    expect(child.token).toMatchObject({ createdBy: null, status: 'active' });
    expect((await h.db.apiToken.findUniqueOrThrow({ where: { id: child.token.id } })).createdById).toBeNull();
  });
});

describe('revokeToken and listTokens', () => {
  it('revoking writes revokedAt = now and one exact audit row', async () => {
    const { token } = await createToken(h.db, cli, { name: 'old-ci', scopes: ['read'] }, T0);
    const revoked = await revokeToken(h.db, cli, token.id, at(7000));
    expect(revoked).toMatchObject({ id: token.id, status: 'revoked', statusNote: null, effectiveScopes: [], revokedAt: at(7000).toISOString() });
    const audit = await h.db.auditEvent.findMany({ where: { targetId: token.id, action: 'token.revoke' } });
    expect(audit.map((a) => ({ at: a.at.toISOString(), targetType: a.targetType, summary: a.summary, before: a.before, after: a.after }))).toEqual([
      { at: at(7000).toISOString(), targetType: 'token', summary: 'Revoked token "old-ci"', before: { revokedAt: null }, after: { revokedAt: at(7000).toISOString() } },
    ]);
    const e = await serviceError(() => revokeToken(h.db, cli, 'no-such-token', T0));
    expect([e.code, e.message]).toEqual(['not_found', 'No token with id no-such-token']);
  });

  it('lists the newest first, with owner e-mail, last use and revocation', async () => {
    const { user, actor } = await admin();
    const first = await createToken(h.db, actor, { name: 'listed-1', scopes: ['read'] }, at(10 * 86_400_000));
    const second = await createToken(h.db, cli, { name: 'listed-2', scopes: ['read'] }, at(11 * 86_400_000));
    await verifyToken(h.db, first.secret, at(12 * 86_400_000));
    await revokeToken(h.db, cli, second.token.id, at(13 * 86_400_000));
    const list = await listTokens(h.db);
    const times = list.map((t) => t.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(list.slice(0, 2).map((t) => [t.name, t.createdBy, t.lastUsedAt, t.revokedAt])).toEqual([
      ['listed-2', null, null, at(13 * 86_400_000).toISOString()],
      ['listed-1', user.email, at(12 * 86_400_000).toISOString(), null],
    ]);
  });
});

describe('verifyToken', () => {
  it('accepts exactly stw_ and 32 characters of the base64url alphabet, every one of them', async () => {
    const secrets = ['stw_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef', 'stw_ghijklmnopqrstuvwxyz0123456789AB', 'stw_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_'];
    for (const s of secrets) {
      expect(s).toHaveLength(36);
      const id = await tokenWithSecret(s);
      expect(await verifyToken(h.db, s, T0), s).toMatchObject({ ok: true, token: { id } });
    }
    const good = secrets[0]!;
    for (const bad of [`${good.slice(0, -1)}+`, `${good.slice(0, -1)}/`, `${good.slice(0, -1)}=`, `${good.slice(0, -1)}.`, `${good}\n`, `\n${good}`, `STW_${good.slice(4)}`, `stw-${good.slice(4)}`, `xstw_${good.slice(4, -1)}`, `stw_${good.slice(5)}`, `stw_${good.slice(4)}x`]) {
      expect(await verifyToken(h.db, bad, T0), JSON.stringify(bad)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('returns the token\'s projects', async () => {
    const s = 'stw_projectsprojectsprojectsprojects';
    const id = await tokenWithSecret(s, { projects: ['api', 'web'] });
    expect(await verifyToken(h.db, s, T0)).toEqual({ ok: true, token: { id, name: `fixed-${id.slice(0, 8)}`, scopes: ['read'], projects: ['api', 'web'] } });
  });

  it('a token row whose projects are NULL (set outside Steward) may touch every project: []', async () => {
    const s = 'stw_' + 'nullproj'.repeat(4);
    const id = await tokenWithSecret(s, { projects: ['web'] });
    await h.db.$executeRaw`UPDATE "api_tokens" SET "projects" = NULL WHERE "id" = ${id}`;
    expect(await verifyToken(h.db, s, T0)).toMatchObject({ ok: true, token: { id, projects: [] } });
    expect((await listTokens(h.db)).find((t) => t.id === id)!.projects).toEqual([]);
  });

  it('records the last use on first use, not again at exactly 60 s, again at 60.001 s', async () => {
    const s = 'stw_lastusedlastusedlastusedlastused';
    const id = await tokenWithSecret(s);
    const lastUsed = async () => (await h.db.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt?.toISOString() ?? null;
    await verifyToken(h.db, s, at(1000));
    expect(await lastUsed()).toBe(at(1000).toISOString());
    await verifyToken(h.db, s, at(61_000));
    expect(await lastUsed()).toBe(at(1000).toISOString());
    await verifyToken(h.db, s, at(61_001));
    expect(await lastUsed()).toBe(at(61_001).toISOString());
  });

  it('an owner demoted to viewer limits an ingest+read token to read; a disabled viewer owner suspends it', async () => {
    const { user, actor } = await admin();
    const { token, secret } = await createToken(h.db, actor, { name: 'limited', scopes: ['ingest', 'read'] }, T0);
    await updateUser(h.db, cli, { userId: user.id, role: 'viewer' });
    expect(await verifyToken(h.db, secret, T0)).toEqual({ ok: true, token: { id: token.id, name: 'limited', scopes: ['read'], projects: [] } });
    await updateUser(h.db, cli, { userId: user.id, disabled: true });
    expect(await verifyToken(h.db, secret, T0)).toEqual({ ok: false, reason: 'suspended', detail: 'owner disabled' });
  });
});

describe('tokenStanding and tokenRefusalMessage', () => {
  it('every standing, with its note', () => {
    expect(tokenStanding(['ingest', 'read'], true, { role: 'admin', disabled: false })).toEqual({ status: 'revoked', statusNote: null, effectiveScopes: [] });
    expect(tokenStanding(['ingest', 'read'], true, null)).toEqual({ status: 'revoked', statusNote: null, effectiveScopes: [] });
    expect(tokenStanding(['read'], false, { role: 'admin', disabled: true })).toEqual({ status: 'suspended', statusNote: 'owner disabled', effectiveScopes: [] });
    expect(tokenStanding(['ingest'], false, { role: 'viewer', disabled: false })).toEqual({ status: 'suspended', statusNote: "owner's role (viewer) covers none of its scopes", effectiveScopes: [] });
    expect(tokenStanding(['ingest', 'read'], false, { role: 'viewer', disabled: false })).toEqual({ status: 'limited', statusNote: 'owner is viewer: only read', effectiveScopes: ['read'] });
    expect(tokenStanding(['ingest', 'read'], false, { role: 'operator', disabled: false })).toEqual({ status: 'active', statusNote: null, effectiveScopes: ['ingest', 'read'] });
    expect(tokenStanding(['ingest', 'read'], false, null)).toEqual({ status: 'active', statusNote: null, effectiveScopes: ['ingest', 'read'] });
    expect(tokenStanding(['read'], false, { role: 'viewer', disabled: false })).toEqual({ status: 'active', statusNote: null, effectiveScopes: ['read'] });
    // A token with no scope at all is never active, with or without an owner.
    expect(tokenStanding([], false, null)).toMatchObject({ status: 'suspended', effectiveScopes: [] });
    expect(tokenStanding([], false, { role: 'admin', disabled: false })).toEqual({ status: 'suspended', statusNote: "owner's role (admin) covers none of its scopes", effectiveScopes: [] });
  });

  it('the refusal messages', () => {
    expect(tokenRefusalMessage({ ok: false, reason: 'suspended', detail: 'owner disabled' })).toBe('This API token is suspended: owner disabled.');
    expect(tokenRefusalMessage({ ok: false, reason: 'revoked' })).toBe('This API token has been revoked.');
    expect(tokenRefusalMessage({ ok: false, reason: 'unknown' })).toBe('Unknown or malformed API token.');
    expect(tokenRefusalMessage({ ok: false, reason: 'malformed' })).toBe('Unknown or malformed API token.');
  });
});
