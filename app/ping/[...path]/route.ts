/**
 * Healthchecks-compatible ping endpoint, public by design (the uuid, or the ping key, is the
 * secret): `/ping/<uuid>[/start|/fail|/log|/<0-255>]`, `/ping/<ping-key>/<slug>[/…][?create=1]`,
 * `?rid=<uuid>`, any method. Answers text/plain "OK" (201 "Created" for create=1), with
 * `Ping-Body-Limit: <bytes>` on every response; a longer body is stored truncated and flagged,
 * never refused. Rate-limited per source address and per check (lib/services/cron/settings.ts).
 * The source address is the one lib/auth/client-address.ts trusts (configured proxies only).
 * OPTIONS is a CORS preflight, not a ping (Healthchecks allows pings from browsers too).
 */
import { clientAddress } from '@/lib/auth/client-address';
import { defineRoute } from '@/lib/auth/route';
import { getEnv } from '@/lib/env';
import { recordPing } from '@/lib/services/cron';
import { cronSettings } from '@/lib/services/cron/settings';

export const dynamic = 'force-dynamic';

/** Reads at most `limit` bytes; the rest is not read (the connection's problem, not ours). */
async function readPingBody(req: Request, limit: number): Promise<{ body: Uint8Array | null; truncated: boolean }> {
  const reader = req.body?.getReader();
  if (!reader) return { body: null, truncated: false };
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = limit - total;
      if (value.byteLength > room) {
        if (room > 0) chunks.push(value.subarray(0, room));
        total = limit;
        truncated = true;
        await reader.cancel().catch(() => undefined);
        break;
      }
      chunks.push(value);
      total += value.byteLength;
    }
  } catch {
    truncated = true; // the client went away mid-body: keep what arrived
  }
  return { body: total ? Buffer.concat(chunks, total) : null, truncated };
}

const CORS = { 'access-control-allow-origin': '*' };

const ping = defineRoute({ name: 'cron.ping', access: { public: true } }, async ({ req, db, params, now }) => {
  const { bodyLimit } = cronSettings();
  const url = new URL(req.url);
  const { body, truncated } = await readPingBody(req, bodyLimit);
  const segments = (params.path ?? '').split('/').filter((s) => s !== '');
  const r = await recordPing(db, {
    path: segments, rid: url.searchParams.get('rid'), create: url.searchParams.get('create') === '1', method: req.method,
    body, bodyTruncated: truncated, sourceAddress: clientAddress(req.headers, getEnv().STEWARD_TRUSTED_PROXIES), userAgent: req.headers.get('user-agent'),
  }, now);
  return new Response(req.method === 'HEAD' ? null : r.text, {
    status: r.status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...CORS, ...(r.retryAfterSeconds ? { 'retry-after': String(r.retryAfterSeconds) } : {}) },
  });
});

type Ctx = { params: Promise<Record<string, string | string[]>> };

async function handle(req: Request, ctx: Ctx): Promise<Response> {
  const res = await ping(req, ctx);
  // Every answer, the wrapper's own 400s for hostile paths included, announces the limit. The
  // headers are set in place (responses made here are mutable): copying the response into a new
  // one would pipe its body through another stream on every ping.
  const out = req.method === 'HEAD' && res.body !== null ? new Response(null, { status: res.status, headers: res.headers }) : res;
  out.headers.set('ping-body-limit', String(cronSettings().bodyLimit));
  for (const [k, v] of Object.entries(CORS)) out.headers.set(k, v);
  return out;
}

export const GET = handle;
export const HEAD = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;

export async function OPTIONS(): Promise<Response> {
  return new Response(null, {
    status: 204,
    headers: { ...CORS, 'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE', 'access-control-allow-headers': 'content-type', allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS', 'ping-body-limit': String(cronSettings().bodyLimit) },
  });
}
