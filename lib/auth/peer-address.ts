/**
 * The address of the TCP peer that sent a request, which Next.js does not hand to route handlers,
 * server actions or pages (it only fills `X-Forwarded-For` with it when the client sent none, so
 * that header is the client's to choose).
 *
 * `installPeerAddressHook()` (called once from instrumentation.ts) subscribes to Node's
 * `http.server.request.start` diagnostics channel, which fires for every request before the
 * server's request listener runs, and overwrites the `x-steward-peer` request header with
 * `<nonce> <socket.remoteAddress>`. The nonce is random per process and never leaves it, so a
 * header a client sends itself — or one that reaches us on a request parsed before the hook was
 * installed — cannot carry it and is ignored. That makes the peer address unforgeable by
 * construction rather than by a header-stripping step that something could skip.
 */
import { randomBytes } from 'node:crypto';
import dc from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { normaliseAddress } from './trusted-proxies';

export const PEER_HEADER = 'x-steward-peer';
/**
 * The header the auth route sets to the resolved client address for better-auth's rate limiter
 * (better-auth reads addresses only from headers). The hook deletes any a client sends, so code
 * that passes request headers straight to `auth.api` cannot be fed one either.
 */
export const CLIENT_ADDRESS_HEADER = 'x-steward-client-address';

// On globalThis: instrumentation and each route are bundled separately, but share the process.
const g = globalThis as unknown as { __stewardPeerNonce?: string };

export function installPeerAddressHook(): void {
  if (g.__stewardPeerNonce) return;
  const nonce = randomBytes(18).toString('base64url');
  dc.subscribe('http.server.request.start', (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_HEADER] = `${nonce} ${socket.remoteAddress ?? '-'}`;
    delete request.headers[CLIENT_ADDRESS_HEADER];
  });
  g.__stewardPeerNonce = nonce;
}

/** The peer address of this request (normalised), or null when the hook did not vouch for it. */
export function peerAddress(headers: Pick<Headers, 'get'>): string | null {
  const nonce = g.__stewardPeerNonce;
  const value = headers.get(PEER_HEADER);
  if (!nonce || !value) return null;
  const space = value.indexOf(' ');
  // Stryker disable next-line ConditionalExpression,EqualityOperator: without a space (or with one first) the prefix can never equal the nonce, so the comparison alone refuses it
  if (space < 0 || value.slice(0, space) !== nonce) return null;
  return normaliseAddress(value.slice(space + 1));
}

/** For unit tests: a header value this process's hook would have written. */
export function peerHeaderValueForTests(address: string): string {
  // Stryker disable next-line ConditionalExpression: test helper
  if (!g.__stewardPeerNonce) g.__stewardPeerNonce = randomBytes(18).toString('base64url');
  return `${g.__stewardPeerNonce} ${address}`;
}
