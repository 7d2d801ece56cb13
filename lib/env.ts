/**
 * The one place that reads process.env. Every setting is parsed with zod so a bad value fails
 * at start-up with a message naming the variable. The engine never imports this module.
 */
import path from 'node:path';
import { z } from 'zod';
import { parseTrustedProxies } from './auth/trusted-proxies';

const bool = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  STEWARD_HOME: z.string().optional(),
  STEWARD_DATA_DIR: z.string().optional(),
  STEWARD_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  STEWARD_BASE_URL: z.string().url().optional(),
  STEWARD_ADMIN_EMAIL: z.string().email().optional(),
  STEWARD_ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  // First-run setup code chosen by the operator (else a random one is printed at start).
  STEWARD_SETUP_CODE: z.string().trim().min(12, 'must be at least 12 characters').max(200).optional(),
  STEWARD_SESSION_HOURS: z.coerce.number().positive().max(24 * 90).default(24 * 7),
  STEWARD_WORKER: bool.default(true),
  STEWARD_LOGIN_MAX_ATTEMPTS: z.coerce.number().int().positive().default(5),
  STEWARD_LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
  STEWARD_DB_POOL_SIZE: z.coerce.number().int().positive().max(100).default(10),
  STEWARD_ARTIFACT_BASES: z.string().optional(),
  STEWARD_METRICS_PUBLIC: bool.default(false),
  STEWARD_SCANNER: z.enum(['auto', 'native', 'js']).default('auto'),
  /** Days of per-result flaky-test rows to keep (the daily aggregates are kept). */
  STEWARD_TEST_RESULT_DAYS: z.coerce.number().int().min(7).max(3650).default(90),
  /** Days to keep raw uploaded results files (gzip) for re-parsing; 0 = not kept. */
  STEWARD_RAW_UPLOAD_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  /**
   * Let notification webhooks reach loopback and private addresses (127/8, 10/8, 172.16/12,
   * 192.168/16, 100.64/10, ::1, fc00::/7). Link-local and cloud-metadata addresses stay refused.
   */
  STEWARD_NOTIFY_ALLOW_PRIVATE: bool.default(false),
  /**
   * Serve canonical pings (`/ping/<uuid>[/kind][?rid=…]`) in front of Next.js's router
   * (lib/server/ping-fast-path.ts); off: every ping goes through the route handler.
   */
  STEWARD_PING_FAST_PATH: bool.default(true),
  PORT: z.coerce.number().int().positive().default(3000),
  // Which reverse proxies may tell us the client's address (X-Forwarded-For): a hop count or a
  // list of proxy addresses/CIDRs. Unset: forwarded headers are ignored (lib/auth/client-address.ts).
  STEWARD_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      try {
        return parseTrustedProxies(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    }),
});

export type Env = z.infer<typeof schema> & { home: string; dataDir: string };

let cached: Env | undefined;

export class EnvError extends Error {}

/** Parses process.env once. Throws EnvError naming each bad variable. */
export function getEnv(): Env {
  if (cached) return cached;
  const raw = Object.fromEntries(
    Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  const home = path.resolve(/*turbopackIgnore: true*/ parsed.data.STEWARD_HOME ?? process.cwd());
  const dataDir = path.resolve(home, parsed.data.STEWARD_DATA_DIR ?? '.data');
  cached = { ...parsed.data, home, dataDir };
  return cached;
}

/** For tests that change the environment between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
