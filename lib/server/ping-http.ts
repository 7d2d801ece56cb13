/**
 * The HTTP answer to a ping, shared by the two ways a ping reaches Steward: the route handler
 * (app/ping/[...path]/route.ts, through Next.js) and the fast path in front of Next's router
 * (./ping-fast-path.ts). Both read the body up to the limit themselves, then call answerPing(), so
 * the status, text and headers cannot drift apart.
 */
import { clientAddress } from '@/lib/auth/client-address';
import type { Db } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { recordPing } from '@/lib/services/cron';
import { cronSettings } from '@/lib/services/cron/settings';

/** Methods that are pings (OPTIONS is a CORS preflight; anything else is Next's 405). */
export const PING_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** Healthchecks allows pings from browsers too. */
export const PING_CORS = { 'access-control-allow-origin': '*' } as const;

export interface PingHttpRequest {
  method: string;
  /** The path after /ping/, as the route's catch-all parameter gives it (segments joined by "/"). */
  path: string;
  query: URLSearchParams;
  body: Uint8Array | null;
  bodyTruncated: boolean;
  /** Only `user-agent`, `x-forwarded-for` and the peer header (lib/auth/peer-address.ts) are read. */
  headers: Pick<Headers, 'get'>;
}

export interface PingHttpAnswer {
  status: number;
  /** null for HEAD. */
  body: string | null;
  headers: Record<string, string>;
}

/** Headers every ping answer carries, whoever made it (the wrappers' own 400 and 500 too). */
export function pingCommonHeaders(): Record<string, string> {
  return { ...PING_CORS, 'ping-body-limit': String(cronSettings().bodyLimit) };
}

export async function answerPing(db: Db, r: PingHttpRequest, now: Date): Promise<PingHttpAnswer> {
  const segments = r.path.split('/').filter((s) => s !== '');
  const result = await recordPing(db, {
    path: segments, rid: r.query.get('rid'), create: r.query.get('create') === '1', method: r.method,
    body: r.body, bodyTruncated: r.bodyTruncated, sourceAddress: clientAddress(r.headers, getEnv().STEWARD_TRUSTED_PROXIES), userAgent: r.headers.get('user-agent'),
  }, now);
  return {
    status: result.status,
    body: r.method === 'HEAD' ? null : result.text,
    headers: {
      'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...pingCommonHeaders(),
      ...(result.retryAfterSeconds ? { 'retry-after': String(result.retryAfterSeconds) } : {}),
    },
  };
}
