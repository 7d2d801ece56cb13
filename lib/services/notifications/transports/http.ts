/**
 * POST a JSON body to a webhook. node:http(s) rather than fetch, because fetch cannot be told
 * which address to connect to: here the custom `lookup` checks every resolved address against
 * the address policy and connects to the one it checked (no DNS rebinding between check and
 * connect). Redirects are not followed, the response body is read up to MAX_BODY bytes, and the
 * whole exchange is bounded by `timeoutMs` (10 s) through an AbortSignal.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AttemptOutcome } from '@/lib/engine/notifications';
import { addressRefusal } from './address-policy';

export const HTTP_TIMEOUT_MS = 10_000;
const MAX_BODY = 16 * 1024;

export interface HttpSendOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  allowPrivate: boolean;
  headers?: Record<string, string>;
}

class Refused extends Error {}

function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const refusal = addresses.map((a) => addressRefusal(a.address, allowPrivate)).find((r) => r !== null);
      // One refused address refuses the host: a name that resolves both ways is not trusted.
      if (refusal || !addresses.length) return callback(new Refused(refusal ?? `${hostname} has no address`), '', 0);
      if (options.all) return callback(null, addresses);
      const a = addresses[0]!;
      callback(null, a.address, a.family);
    });
  };
}

/** Where a URL may be posted to, checked before any request: http/https, no credentials, no refused IP literal. */
export function urlProblem(raw: string, allowPrivate: boolean): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (u.username || u.password) return 'must not contain a user name or password';
  if (!u.hostname) return 'has no host';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (/^[\d.]+$/.test(host) || host.includes(':')) return addressRefusal(host, allowPrivate);
  return null;
}

export function postJson(url: string, body: string, opts: HttpSendOptions): Promise<AttemptOutcome> {
  const problem = urlProblem(url, opts.allowPrivate);
  if (problem) return Promise.resolve({ type: 'refused', message: `webhook URL ${problem}` });
  const timeoutMs = opts.timeoutMs ?? HTTP_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    const done = (o: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(o);
    };
    const onAbort = () => done(timeout.aborted ? { type: 'timeout', afterMs: timeoutMs } : { type: 'network', message: 'aborted (the worker is stopping)' });
    const req = mod.request(u, {
      method: 'POST',
      lookup: guardedLookup(opts.allowPrivate),
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Steward-Notifications/1', ...opts.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => done({ type: 'http', status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] ?? null, body: Buffer.concat(chunks).toString('utf8') });
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c.subarray(0, MAX_BODY - size));
        size += c.length;
        if (size >= MAX_BODY) finish(); // enough to report; stop reading
      });
      res.on('end', finish);
      res.on('error', (e) => done({ type: 'network', message: e.message }));
    });
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort);
    req.on('error', (e) => done(e instanceof Refused ? { type: 'refused', message: e.message } : { type: 'network', message: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end(body);
  });
}
