// The client address behind the sign-in rate limit and the audit log's origin, tested like an
// attacker: whatever a client writes into X-Forwarded-For (or the peer header itself) must not
// choose the address, and malformed headers must not lump clients together.
import { describe, expect, it } from 'vitest';
import { clientAddress } from '@/lib/auth/client-address';
import { PEER_HEADER, peerAddress, peerHeaderValueForTests } from '@/lib/auth/peer-address';
import { normaliseAddress, parseTrustedProxies } from '@/lib/auth/trusted-proxies';

const none = parseTrustedProxies(undefined);

function req(peer: string | null, xff?: string, extra: Record<string, string> = {}): Headers {
  const h = new Headers(extra);
  if (peer !== null) h.set(PEER_HEADER, peerHeaderValueForTests(peer));
  if (xff !== undefined) h.set('x-forwarded-for', xff);
  return h;
}

describe('clientAddress without trusted proxies', () => {
  it('is the TCP peer, whatever X-Forwarded-For says', () => {
    expect(clientAddress(req('203.0.113.9', '1.2.3.4'), none)).toBe('203.0.113.9');
    expect(clientAddress(req('203.0.113.9', '1.2.3.4, 5.6.7.8'), none)).toBe('203.0.113.9');
    expect(clientAddress(req('203.0.113.9', 'garbage, , ;drop'), none)).toBe('203.0.113.9');
    expect(clientAddress(req('203.0.113.9', '', { 'x-real-ip': '9.9.9.9' }), none)).toBe('203.0.113.9');
  });

  it('shows IPv4-mapped IPv6 peers as IPv4', () => {
    expect(clientAddress(req('::ffff:127.0.0.1'), none)).toBe('127.0.0.1');
  });

  it('ignores a peer header the hook did not write (forged by the client)', () => {
    const forged = new Headers({ [PEER_HEADER]: 'guessed-nonce 1.2.3.4' });
    expect(peerAddress(forged)).toBeNull();
    expect(clientAddress(forged, none)).toBeNull();
    expect(clientAddress(new Headers({ [PEER_HEADER]: '1.2.3.4' }), none)).toBeNull();
  });
});

describe('clientAddress with a hop count', () => {
  const one = parseTrustedProxies('1');
  const two = parseTrustedProxies('2');

  it('takes the address that many hops from the right', () => {
    // client → proxy (10.0.0.2) → Steward; the proxy appended the client's address.
    expect(clientAddress(req('10.0.0.2', '198.51.100.7'), one)).toBe('198.51.100.7');
    // a forged left part does not matter
    expect(clientAddress(req('10.0.0.2', '1.2.3.4, 198.51.100.7'), one)).toBe('198.51.100.7');
    // client → cdn → proxy → Steward
    expect(clientAddress(req('10.0.0.2', '1.2.3.4, 198.51.100.7, 10.0.0.1'), two)).toBe('198.51.100.7');
  });

  it('falls back to the last address it can vouch for when the chain is short or malformed', () => {
    expect(clientAddress(req('10.0.0.2'), one)).toBe('10.0.0.2');
    expect(clientAddress(req('10.0.0.2', '198.51.100.7'), two)).toBe('198.51.100.7');
    expect(clientAddress(req('10.0.0.2', 'not-an-ip'), one)).toBe('10.0.0.2');
    expect(clientAddress(req('10.0.0.2', '1.2.3.4, not-an-ip'), two)).toBe('10.0.0.2');
  });
});

describe('clientAddress with a proxy list', () => {
  const list = parseTrustedProxies('10.0.0.0/8, fd00::/8');

  it('steps left over trusted proxies to the first untrusted address', () => {
    expect(clientAddress(req('10.0.0.2', '1.2.3.4, 198.51.100.7, 10.9.9.9'), list)).toBe('198.51.100.7');
    expect(clientAddress(req('fd00::2', '[2001:db8::1]:443'), list)).toBe('2001:db8::1');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(clientAddress(req('198.51.100.20', '10.0.0.5'), list)).toBe('198.51.100.20');
  });

  it('stops at a malformed element', () => {
    expect(clientAddress(req('10.0.0.2', '1.2.3.4, bogus'), list)).toBe('10.0.0.2');
  });
});

describe('normaliseAddress', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:7f00:1', '127.0.0.1'],
    ['2001:DB8:0:0::1', '2001:db8::1'],
    ['[2001:db8::1]:8443', '2001:db8::1'],
    ['192.0.2.1:8080', '192.0.2.1'],
    [' 192.0.2.1 ', '192.0.2.1'],
  ])('%s → %s', (raw, want) => expect(normaliseAddress(raw)).toBe(want));

  it.each(['', 'unknown', '1.2.3', '999.1.1.1', 'fe80::1%eth0', '1.2.3.4, 5.6.7.8', 'http://1.2.3.4'])('refuses %j', (raw) => {
    expect(normaliseAddress(raw)).toBeNull();
  });
});

describe('parseTrustedProxies', () => {
  it('reads none, hop counts and lists', () => {
    expect(parseTrustedProxies('').kind).toBe('none');
    expect(parseTrustedProxies('none').kind).toBe('none');
    expect(parseTrustedProxies('0').kind).toBe('none');
    expect(parseTrustedProxies('2')).toEqual({ kind: 'hops', hops: 2 });
    const list = parseTrustedProxies('192.0.2.7 10.0.0.0/8');
    expect(list.kind === 'list' && list.contains('10.200.1.1') && list.contains('192.0.2.7') && !list.contains('192.0.2.8')).toBe(true);
  });

  it.each(['17', '10.0.0.0/33', 'proxy.internal', '10.0.0.0/8/1', 'fe80::1%eth0', '1.2.3.4/x'])('refuses %j naming it', (raw) => {
    expect(() => parseTrustedProxies(raw)).toThrow();
  });
});

describe('peerAddress without a vouched header (mutation-testing kills)', () => {
  it('is null with no header, an empty one, or another nonce', () => {
    peerHeaderValueForTests('10.0.0.1'); // makes sure this process has a nonce
    expect(peerAddress(new Headers())).toBeNull();
    expect(peerAddress(new Headers({ [PEER_HEADER]: '' }))).toBeNull();
    expect(peerAddress(new Headers({ [PEER_HEADER]: 'forged 10.0.0.1' }))).toBeNull();
    expect(peerAddress(new Headers({ [PEER_HEADER]: peerHeaderValueForTests('10.0.0.1') }))).toBe('10.0.0.1');
  });
});

describe('parseTrustedProxies and normaliseAddress: exact edges (mutation-testing kills)', () => {
  it('hop counts: 16 is the most; the error says so', () => {
    expect(parseTrustedProxies(' 16 ')).toEqual({ kind: 'hops', hops: 16 });
    expect(parseTrustedProxies('2')).toEqual({ kind: 'hops', hops: 2 });
    expect(() => parseTrustedProxies('17')).toThrow('a hop count must be between 0 and 16, got 17');
  });

  it('prefix lengths: 0–32 for IPv4, 0–128 for IPv6, digits only', () => {
    for (const ok of ['10.0.0.0/0', '10.0.0.0/32', 'fd00::/128', 'fd00::/0', '10.0.0.0/8']) expect(parseTrustedProxies(ok).kind, ok).toBe('list');
    for (const bad of ['10.0.0.0/33', 'fd00::/129', '10.0.0.0/x8', '10.0.0.0/8x', '10.0.0.0/0008', '10.0.0.0/']) expect(() => parseTrustedProxies(bad), bad).toThrow(`"${bad}" has a bad prefix length`);
  });

  it('entries: comma and/or spaces between them; anything else names the entry', () => {
    const p = parseTrustedProxies('10.0.0.0/8,  192.0.2.7 ,fd00::/8\t2001:db8::1');
    if (p.kind !== 'list') throw new Error('expected a list');
    expect(p.entries).toEqual(['10.0.0.0/8', '192.0.2.7', 'fd00::/8', '2001:db8::1']);
    expect(['10.1.2.3', '192.0.2.7', 'fd00::5', '2001:db8::1', '::ffff:10.9.9.9'].map(p.contains)).toEqual([true, true, true, true, true]);
    expect(['192.0.2.8', '2001:db8::2', 'not-an-ip', ''].map(p.contains)).toEqual([false, false, false, false]);
    for (const bad of ['proxy.lan', '10.0.0.1/8/9', 'fe80::1%eth0', '/8']) expect(() => parseTrustedProxies(bad), bad).toThrow(`"${bad}" is not an IP address or CIDR range`);
  });

  it('normaliseAddress strips only a whole port suffix and maps only a whole ::ffff: address', () => {
    expect(normaliseAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(normaliseAddress('[2001:db8::1]')).toBe('2001:db8::1');
    expect(normaliseAddress('[2001:db8::1]:443x')).toBeNull();
    expect(normaliseAddress('x[2001:db8::1]')).toBeNull();
    expect(normaliseAddress('192.0.2.1:8080')).toBe('192.0.2.1');
    expect(normaliseAddress('192.0.2.1:8080:1')).toBeNull();
    expect(normaliseAddress('x192.0.2.1:8080')).toBeNull();
    expect(normaliseAddress('192.0.2.123:80')).toBe('192.0.2.123');
    expect(normaliseAddress('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(normaliseAddress('::ffff:c000:2ff')).toBe('192.0.2.255');
    expect(normaliseAddress('1::ffff:7f00:1')).toBe('1::ffff:7f00:1');
  });
});
