/**
 * Shared set-up for the attacker-style tests of real route handlers and server actions
 * (flaky-authz*.int.test.ts): a fresh database that the app's singletons point at, three signed-in
 * users (real better-auth sessions), tokens of every kind, and request builders. The test file
 * itself must mock `server-only`, `next/headers` (see `requestHeaders`) and `next/cache`, and
 * import this module dynamically after `prepareEnv()` (the env is read once and cached).
 */
import crypto from 'node:crypto';
import { expect } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { createToken, revokeToken } from '@/lib/services/tokens';
import { createUser } from '@/lib/services/users';
import { createTestDb, type TestDb } from './helpers';

export const BASE = 'http://steward.test';
export const PASSWORD = 'flaky-authz-pass-1';
export type Role = 'viewer' | 'operator' | 'admin';
export type TokenKind = 'read' | 'ingest' | 'revoked' | 'ingestAlpha' | 'readBeta';

export function prepareEnv(): void {
  process.env.STEWARD_SECRET = 'flaky-authz-tests-secret-0123456789abcdef';
  process.env.STEWARD_BASE_URL = BASE;
}

export interface Harness {
  h: TestDb;
  users: Record<Role, { id: string; email: string; cookie: string }>;
  tokens: Record<TokenKind, string>;
  close: () => Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const { resetEnvCache } = await import('@/lib/env');
  resetEnvCache();
  const { getAuth } = await import('@/lib/auth/better-auth');
  const g = globalThis as unknown as { __stewardDb?: Promise<unknown>; __stewardAuth?: Promise<unknown> };
  const h = await createTestDb();
  g.__stewardDb = Promise.resolve(h);
  g.__stewardAuth = undefined;
  const cli: Actor = { type: 'cli', id: null, label: 'cli:authz', origin: 'cli' };
  const users = {} as Harness['users'];
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    const email = `${role}-${crypto.randomBytes(3).toString('hex')}@authz.test`;
    const u = await createUser(h.db, cli, { email, name: role, password: PASSWORD, role });
    const auth = await getAuth();
    const res = await auth.api.signInEmail({ body: { email, password: PASSWORD }, asResponse: true });
    expect(res.status).toBe(200);
    users[role] = { id: u.id, email, cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') };
  }
  const make = async (name: string, scopes: ('read' | 'ingest')[], projects: string[] = []) => (await createToken(h.db, cli, { name, scopes, projects })).secret;
  const revoked = await createToken(h.db, cli, { name: 'revoked', scopes: ['read', 'ingest'] });
  await revokeToken(h.db, cli, revoked.token.id);
  const tokens: Harness['tokens'] = {
    read: await make('read', ['read']), ingest: await make('ingest', ['ingest']), ingestAlpha: await make('ingest-alpha', ['ingest'], ['alpha']),
    readBeta: await make('read-beta', ['read'], ['beta']), revoked: revoked.secret,
  };
  return {
    h, users, tokens,
    close: async () => {
      g.__stewardDb = undefined;
      g.__stewardAuth = undefined;
      delete process.env.STEWARD_SECRET;
      delete process.env.STEWARD_BASE_URL;
      resetEnvCache();
      await h.close();
    },
  };
}

export type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
export interface Sent {
  status: number;
  body: { error?: { code: string; message: string; details: { field: string; message: string }[] } } & Record<string, unknown>;
  text: string;
}

/** Calls a route handler as Next.js would; the body is parsed as JSON when it is JSON. */
export async function send(handler: Handler, opts: { method: string; path: string; headers?: Record<string, string>; body?: BodyInit; params?: Record<string, string> }): Promise<Sent> {
  const init = { method: opts.method, headers: opts.headers ?? {}, body: opts.body, ...(opts.body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit;
  const res = await handler(new Request(`${BASE}${opts.path}`, init), { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  let body: Sent['body'] = {};
  try {
    body = text ? (JSON.parse(text) as Sent['body']) : {};
  } catch {
    /* a plain-text answer (quarantine list formats) */
  }
  return { status: res.status, body, text };
}

/** Audit rows as the facts the tests pin (ids and times differ between runs). */
export async function auditFacts(h: TestDb) {
  const rows = await h.db.auditEvent.findMany({ orderBy: { id: 'asc' } });
  return rows.map((r) => ({ action: r.action, outcome: r.outcome, actor: r.actorLabel, summary: r.summary, origin: r.origin, count: r.count }));
}
