/**
 * Pings in front of Next.js's router. A ping is the one request Steward gets in volume (10,000
 * cron jobs are 170 a second), and through Next each one paid for the router, the Web
 * Request/Response objects and their streams: about twice the work of storing the ping itself.
 *
 * `installPingFastPath()` (instrumentation.ts, after the peer-address hook) watches Node's
 * `http.server.request.start` channel; the first time it sees a server, it puts `pingFastPath()`
 * in place of that server's one `request` listener (Next's), before the request that revealed it
 * is dispatched. The fast path takes only canonical pings — one of the six ping methods, `/ping/`
 * and one to three segments of unreserved characters (RFC 3986: no percent-encoding, no dot
 * segments, no trailing slash but Healthchecks' `/ping/<uuid>/`), at most 200 characters, and a
 * query of unreserved characters, `=` and `&` — and hands everything else, OPTIONS included, to
 * Next untouched, where the route
 * handler (app/ping/[...path]/route.ts) answers as before. For the requests it takes it reads the
 * body as the route does (up to the limit; the rest is read and thrown away, so the connection
 * stays usable) and answers with lib/server/ping-http.ts, the route's own code, plus the static
 * security headers next.config.mjs gives every response. Nothing about a canonical ping is
 * decided differently: tests/integration/cron-ping-fast-path.int.test.ts sends the same requests
 * down both paths and compares status, text, headers, stored pings and check state.
 *
 * One difference is on purpose: `/ping/<uuid>/`, a Healthchecks URL with its trailing slash (its
 * `hc-ping-slash` route, still in old crontab lines). Next answers it with a 308 to the URL
 * without the slash, which `curl -fsS` does not follow and still exits 0: the ping was lost and
 * the job looked fine. The fast path answers it as the ping it is.
 *
 * `STEWARD_PING_FAST_PATH=off` leaves Next's listener alone.
 */
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { API_CSP, STATIC_SECURITY_HEADERS } from '@/lib/auth/security-headers';
import { getDb, type Db } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { cronSettings } from '@/lib/services/cron/settings';
import { answerPing, PING_METHODS, pingCommonHeaders, type PingHttpAnswer } from './ping-http';

export type RequestListener = (this: Server, req: IncomingMessage, res: ServerResponse) => void;

/** Next's catch-all parameter limit (lib/auth/route.ts): longer paths go to Next for its 400. */
const MAX_PATH = 200;
const CANONICAL = /^\/ping\/([A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+){0,2})(?:\?([A-Za-z0-9._~=&-]*))?$/;
/** `/ping/<uuid>/`: one trailing slash after a bare uuid only, as the engine's parsePingPath allows. */
const UUID_SLASH = /^\/ping\/([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\/)(?:\?([A-Za-z0-9._~=&-]*))?$/;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/** The catch-all path and the query of a canonical ping, or null for Next to handle. */
export function canonicalPing(method: string | undefined, url: string | undefined): { path: string; query: string } | null {
  if (!method || !url || !PING_METHODS.has(method)) return null;
  const m = CANONICAL.exec(url) ?? UUID_SLASH.exec(url);
  if (!m || m[1]!.length > MAX_PATH || DOT_SEGMENT.test(m[1]!)) return null;
  return { path: m[1]!, query: m[2] ?? '' };
}

/** The body up to `limit` bytes; beyond it, flagged, and the rest discarded as it arrives. */
function readBody(req: IncomingMessage, limit: number): Promise<{ body: Uint8Array | null; truncated: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let truncated = false;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      req.removeListener('data', onData);
      req.removeListener('end', settle);
      req.removeListener('close', onClose);
      req.on('error', () => undefined); // a reset while the rest is discarded is no one's concern
      if (truncated && !req.complete) req.resume(); // read and drop the rest
      resolve({ body: total ? Buffer.concat(chunks, total) : null, truncated });
    };
    const onData = (chunk: Buffer) => {
      const room = limit - total;
      if (chunk.byteLength > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        total = limit;
        truncated = true;
        settle();
        return;
      }
      chunks.push(chunk);
      total += chunk.byteLength;
    };
    // The client went away mid-body: keep what arrived, as the route does.
    const onClose = () => {
      if (!req.complete) truncated = true;
      settle();
    };
    req.on('data', onData);
    req.once('end', settle);
    req.once('close', onClose);
    req.once('error', onClose);
  });
}

/** The request's headers as `Headers.get` reads them (Node has joined repeated ones already). */
function headerReader(req: IncomingMessage): Pick<Headers, 'get'> {
  return {
    get(name: string): string | null {
      const v = req.headers[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
    },
  };
}

function send(res: ServerResponse, a: PingHttpAnswer): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = a.status;
  for (const h of STATIC_SECURITY_HEADERS) res.setHeader(h.key, h.value);
  res.setHeader('content-security-policy', API_CSP);
  for (const [k, v] of Object.entries(a.headers)) res.setHeader(k, v);
  if (a.body === null) {
    res.end();
    return;
  }
  const body = Buffer.from(a.body, 'utf8');
  res.setHeader('content-length', body.byteLength);
  res.end(body);
}

/** As lib/auth/route.ts answers an unexpected error (the envelope, the details in the log). */
function internalError(): PingHttpAnswer {
  return {
    status: 500,
    body: JSON.stringify({ error: { code: 'internal', message: 'Internal error; the server log has details.', details: [] } }),
    headers: { 'content-type': 'application/json', ...pingCommonHeaders() },
  };
}

export interface FastPathOptions {
  /** The database (tests); the process's own by default. */
  db?: () => Promise<Db>;
}

async function serve(req: IncomingMessage, res: ServerResponse, target: { path: string; query: string }, opts: FastPathOptions): Promise<void> {
  let answer: PingHttpAnswer;
  try {
    const { body, truncated } = await readBody(req, cronSettings().bodyLimit);
    const db = await (opts.db ?? getDb)();
    answer = await answerPing(db, {
      method: req.method!, path: target.path, query: new URLSearchParams(target.query), body, bodyTruncated: truncated, headers: headerReader(req),
    }, new Date());
  } catch (e) {
    console.error('[route cron.ping]', e);
    answer = internalError();
    if (req.method === 'HEAD') answer.body = null;
  }
  send(res, answer);
}

/** A request listener that answers canonical pings itself and gives the rest to `next`. */
export function pingFastPath(next: RequestListener, opts: FastPathOptions = {}): RequestListener {
  return function pingFastPathListener(this: Server, req, res) {
    const target = canonicalPing(req.method, req.url);
    if (!target) return next.call(this, req, res);
    void serve(req, res, target, opts);
  };
}

const g = globalThis as unknown as { __stewardPingFastPath?: WeakSet<Server> };

/**
 * Takes over `server`'s request listener once. A server that does not have exactly one (not the
 * shape `next start` builds) is left as it is: every ping then goes through Next, as before.
 */
export function takeOverServer(server: Server, opts: FastPathOptions = {}): boolean {
  const listeners = server.listeners('request') as RequestListener[];
  if (listeners.length !== 1) return false;
  const next = listeners[0]!;
  server.removeListener('request', next);
  server.on('request', pingFastPath(next, opts));
  return true;
}

export function installPingFastPath(): void {
  if (g.__stewardPingFastPath || !getEnv().STEWARD_PING_FAST_PATH) return;
  const seen = new WeakSet<Server>();
  g.__stewardPingFastPath = seen;
  dc.subscribe('http.server.request.start', (message) => {
    const { server } = message as { server?: Server };
    if (!server || seen.has(server)) return;
    seen.add(server);
    takeOverServer(server);
  });
}
