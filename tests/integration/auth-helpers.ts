/**
 * Shared set-up of the tests that call the auth gates directly (auth-page, auth-wrappers; not a
 * test file itself): a fixed auth environment, a fresh database that the app's process-wide
 * singletons hand out, and real better-auth sign-ins. The test file still mocks `server-only` and
 * `next/headers` itself, and imports the lib/auth modules it tests dynamically, after
 * prepareAuthEnv(). lib/env and better-auth are imported here only inside the functions, so this
 * module opens nothing before the environment is set.
 */
import { expect } from 'vitest';
import { createTestDb, type TestDb } from './helpers';

const g = globalThis as unknown as { __stewardDb?: Promise<unknown>; __stewardAuth?: Promise<unknown> };

/** Sets STEWARD_SECRET and STEWARD_BASE_URL and drops the cached env, so both are read from now on. */
export async function prepareAuthEnv(secret: string, baseUrl = 'http://steward.test'): Promise<void> {
  process.env.STEWARD_SECRET = secret;
  process.env.STEWARD_BASE_URL = baseUrl;
  const { resetEnvCache } = await import('@/lib/env');
  resetEnvCache();
}

/** A fresh test database that getDb() hands out from now on; getAuth() builds anew against it. */
export async function openAppDb(): Promise<TestDb> {
  const h = await createTestDb();
  g.__stewardDb = Promise.resolve(h);
  g.__stewardAuth = undefined;
  return h;
}

/** Undoes openAppDb() and prepareAuthEnv(): clears the singletons and the two variables, then closes `h`. */
export async function closeAppDb(h: TestDb | undefined): Promise<void> {
  g.__stewardDb = undefined;
  g.__stewardAuth = undefined;
  delete process.env.STEWARD_SECRET;
  delete process.env.STEWARD_BASE_URL;
  const { resetEnvCache } = await import('@/lib/env');
  resetEnvCache();
  await h?.close();
}

/** Signs `email` in through better-auth (expects 200) and returns the session as a Cookie header value. */
export async function signInCookie(email: string, password: string): Promise<string> {
  const { getAuth } = await import('@/lib/auth/better-auth');
  const auth = await getAuth();
  const res = await auth.api.signInEmail({ body: { email, password }, asResponse: true });
  expect(res.status).toBe(200);
  // "name=value; Path=/; ..." per cookie → "name=value" pairs for a Cookie header.
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}
