/**
 * Network addresses as Steward compares and displays them, and the STEWARD_TRUSTED_PROXIES
 * setting. Pure Node (no Next, no env), so env.ts, the CLI and unit tests can import it.
 */
import net from 'node:net';

/** Who may tell us a client's address through X-Forwarded-For. */
export type TrustedProxies =
  | { kind: 'none' }
  /** Exactly this many proxies stand in front of Steward; the client is that many hops from the right. */
  | { kind: 'hops'; hops: number }
  /** Hops whose address is in this list are proxies; the first address from the right outside it is the client. */
  | { kind: 'list'; entries: string[]; contains: (address: string) => boolean };

const MAX_HOPS = 16;

/**
 * One address in canonical form, or null when it is not an IP address:
 * `::ffff:127.0.0.1` → `127.0.0.1`, IPv6 lower-cased and compressed (`2001:DB8:0::1` → `2001:db8::1`),
 * `[2001:db8::1]:443` and `192.0.2.1:8080` (some proxies add the port) → the bare address.
 * A canonical form matters: two spellings of one address must not be two rate-limit buckets.
 */
export function normaliseAddress(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(s);
  if (bracketed?.[1]) s = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(s)) s = s.slice(0, s.lastIndexOf(':'));
  const family = net.isIP(s);
  if (family === 4) return s;
  if (family !== 6 || s.includes('%')) return null; // zone ids (fe80::1%eth0) are local-only noise
  // The URL parser prints IPv6 in its canonical compressed form, and IPv4-mapped as ::ffff:hhhh:hhhh.
  const canonical = new URL(`http://[${s}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mapped?.[1] && mapped[2]) {
    const hi = Number.parseInt(mapped[1], 16);
    const lo = Number.parseInt(mapped[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return canonical;
}

/**
 * Parses STEWARD_TRUSTED_PROXIES: unset, empty, `none` or `0` → none; a number 1–16 → that many
 * hops; otherwise a comma- or space-separated list of addresses and CIDR ranges
 * (`10.0.0.0/8, 192.0.2.7, fd00::/8`). Throws an Error naming the bad entry.
 */
export function parseTrustedProxies(raw: string | undefined): TrustedProxies {
  const value = (raw ?? '').trim();
  if (value === '' || value.toLowerCase() === 'none' || value === '0') return { kind: 'none' };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_HOPS) throw new Error(`a hop count must be between 0 and ${MAX_HOPS}, got ${value}`);
    return { kind: 'hops', hops };
  }
  const list = new net.BlockList();
  const entries = value.split(/[\s,]+/).filter(Boolean);
  for (const entry of entries) {
    const [addr, prefix, extra] = entry.split('/');
    const family = net.isIP(addr ?? '');
    if (!addr || !family || extra !== undefined || addr.includes('%')) throw new Error(`"${entry}" is not an IP address or CIDR range`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      list.addAddress(addr, type);
      continue;
    }
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) throw new Error(`"${entry}" has a bad prefix length`);
    list.addSubnet(addr, bits, type);
  }
  return {
    kind: 'list',
    entries,
    contains: (address) => {
      const n = normaliseAddress(address);
      if (!n) return false;
      return list.check(n, net.isIP(n) === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
