/**
 * Healthchecks-compatible ping endpoint, public by design (the uuid, or the ping key, is the
 * secret): `/ping/<uuid>[/start|/fail|/log|/<0-255>]`, `/ping/<ping-key>/<slug>[/…][?create=1]`,
 * `?rid=<uuid>`, any method. Answers text/plain "OK" (201 "Created" for create=1), with
 * `Ping-Body-Limit: <bytes>` on every response; a longer body is stored truncated and flagged,
 * never refused. Rate-limited per source address and per check (lib/services/cron/settings.ts).
 * The source address is the one lib/auth/client-address.ts trusts (configured proxies only).
 * OPTIONS is a CORS preflight, not a ping (Healthchecks allows pings from browsers too).
 */
import { defineRoute } from '@/lib/auth/route';
import { cronSettings } from '@/lib/services/cron/settings';
import { answerPing, PING_CORS, pingCommonHeaders } from '@/lib/server/ping-http';

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

const ping = defineRoute({ name: 'cron.ping', access: { public: true } }, async ({ req, db, params, now }) => {
  const { body, truncated } = await readPingBody(req, cronSettings().bodyLimit);
  const a = await answerPing(db, { method: req.method, path: params.path ?? '', query: new URL(req.url).searchParams, body, bodyTruncated: truncated, headers: req.headers }, now);
  return new Response(a.body, { status: a.status, headers: a.headers });
});

type Ctx = { params: Promise<Record<string, string | string[]>> };

async function handle(req: Request, ctx: Ctx): Promise<Response> {
  const res = await ping(req, ctx);
  // Every answer, the wrapper's own 400s for hostile paths included, announces the limit. The
  // headers are set in place (responses made here are mutable): copying the response into a new
  // one would pipe its body through another stream on every ping.
  const out = req.method === 'HEAD' && res.body !== null ? new Response(null, { status: res.status, headers: res.headers }) : res;
  for (const [k, v] of Object.entries(pingCommonHeaders())) out.headers.set(k, v);
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
    headers: { ...PING_CORS, 'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE', 'access-control-allow-headers': 'content-type', allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS', 'ping-body-limit': String(cronSettings().bodyLimit) },
  });
}
