/**
 * better-auth, configured for Steward: email + password only, no public sign-up (admins create
 * accounts), sessions in the database, rate-limited sign-in stored in the database so the limit
 * holds across instances, and a role + disabled flag on each user.
 */
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError } from 'better-auth/api';
import { nextCookies } from 'better-auth/next-js';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { getAuthSecret } from './secret';

async function build() {
  const env = getEnv();
  const db = await getDb();
  return betterAuth({
    appName: 'Steward',
    secret: getAuthSecret(),
    ...(env.STEWARD_BASE_URL ? { baseURL: env.STEWARD_BASE_URL } : {}),
    // Same-origin requests are trusted whatever host name the operator uses to reach Steward;
    // a cross-site form still fails the origin check because its Origin is the other site's.
    trustedOrigins: (request?: Request) => {
      const list = env.STEWARD_BASE_URL ? [new URL(env.STEWARD_BASE_URL).origin] : [];
      if (request) {
        const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
        const proto = request.headers.get('x-forwarded-proto') ?? new URL(request.url).protocol.replace(':', '');
        if (host) list.push(`${proto}://${host}`);
      }
      return list;
    },
    database: prismaAdapter(db, { provider: 'postgresql' }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10, maxPasswordLength: 200 },
    session: {
      expiresIn: Math.round(env.STEWARD_SESSION_HOURS * 3600),
      updateAge: Math.min(24 * 3600, Math.round((env.STEWARD_SESSION_HOURS * 3600) / 4)),
    },
    user: {
      additionalFields: {
        role: { type: 'string', required: true, defaultValue: 'viewer', input: false },
        disabled: { type: 'boolean', required: true, defaultValue: false, input: false },
      },
    },
    rateLimit: {
      enabled: true,
      storage: 'database',
      window: 60,
      max: 100,
      customRules: {
        '/sign-in/email': { window: env.STEWARD_LOGIN_WINDOW_SECONDS, max: env.STEWARD_LOGIN_MAX_ATTEMPTS },
      },
    },
    advanced: {
      database: { generateId: () => crypto.randomUUID() },
      ipAddress: { ipAddressHeaders: ['x-forwarded-for', 'x-real-ip'] },
    },
    databaseHooks: {
      session: {
        create: {
          // A disabled account cannot start a session, even with the right password.
          before: async (session) => {
            const user = await db.user.findUnique({ where: { id: session.userId }, select: { disabled: true } });
            if (!user || user.disabled) throw new APIError('FORBIDDEN', { message: 'This account is disabled.' });
            return { data: session };
          },
        },
      },
    },
    plugins: [nextCookies()],
  });
}

export type Auth = Awaited<ReturnType<typeof build>>;

const g = globalThis as unknown as { __stewardAuth?: Promise<Auth> };

export function getAuth(): Promise<Auth> {
  if (!g.__stewardAuth) {
    g.__stewardAuth = build();
    g.__stewardAuth.catch(() => {
      g.__stewardAuth = undefined;
    });
  }
  return g.__stewardAuth;
}
