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
import { configuredOrigin, ownOrigins, servedOverHttps } from './origin';
import { CLIENT_ADDRESS_HEADER } from './peer-address';

async function build() {
  const env = getEnv();
  const db = await getDb();
  return betterAuth({
    appName: 'Steward',
    secret: getAuthSecret(),
    ...(env.STEWARD_BASE_URL ? { baseURL: env.STEWARD_BASE_URL } : {}),
    // The configured public URL's origin; without one, the origin of the Host the browser itself
    // sent (lib/auth/origin.ts). Never X-Forwarded-Host, which any client can set.
    trustedOrigins: (request?: Request) => (request ? ownOrigins(request.headers) : [configuredOrigin()].filter((o): o is string => o !== null)),
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
      // better-auth reads the client address only from headers: the auth route sets this one to
      // lib/auth/client-address.ts's answer (and the peer hook strips any a client sends).
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
      // Secure cookies only when the public URL is https: a browser drops Secure cookies set over
      // plain http, so a LAN install at http://host:3000 could not sign in at all.
      useSecureCookies: servedOverHttps(),
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
