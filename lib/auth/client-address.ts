/**
 * The one answer to "which address is this client?", used by the sign-in rate limiter
 * (app/api/auth/[...all]/route.ts hands it to better-auth) and by the audit log's origin.
 *
 * Without STEWARD_TRUSTED_PROXIES, forwarded headers are ignored and the client is the TCP peer.
 * With it, X-Forwarded-For is read from the right (each proxy appends the address it was
 * connected from, so only the right end is written by proxies we trust; everything to the left
 * of the client came from the client):
 * - a hop count N: the peer is proxy N, the rightmost element proxy N-1 … the N-th element from
 *   the right is the client. Fewer elements than hops: the last one we have.
 * - an address list: starting from the peer, step left while the address is a trusted proxy; the
 *   first untrusted one is the client.
 * A malformed element stops the walk at the last good address (the proxy that wrote it), so
 * garbage never becomes an address and never lumps unrelated clients into one bucket.
 */
import type { TrustedProxies } from './trusted-proxies';
import { normaliseAddress } from './trusted-proxies';
import { peerAddress } from './peer-address';

/** X-Forwarded-For elements, left to right (several headers arrive joined with ", "). */
function forwardedChain(headers: Pick<Headers, 'get'>): string[] {
  const raw = headers.get('x-forwarded-for');
  if (!raw) return [];
  return raw.split(',').map((s) => s.trim());
}

export function clientAddress(headers: Pick<Headers, 'get'>, trusted: TrustedProxies): string | null {
  const peer = peerAddress(headers);
  if (!peer) return null;
  if (trusted.kind === 'none') return peer;
  const chain = forwardedChain(headers);
  let address = peer;
  if (trusted.kind === 'hops') {
    for (let i = 0; i < trusted.hops; i++) {
      const next = normaliseAddress(chain[chain.length - 1 - i]);
      if (!next) break;
      address = next;
    }
    return address;
  }
  if (!trusted.contains(address)) return address;
  for (let i = chain.length - 1; i >= 0; i--) {
    const next = normaliseAddress(chain[i]);
    if (!next) return address;
    address = next;
    if (!trusted.contains(address)) return address;
  }
  return address; // every hop is a trusted proxy: the leftmost one is as far as we can see
}
