/**
 * Which addresses a notification may connect to (SSRF). The target is admin-configured, but a
 * webhook URL is still an instruction to make the server send a request, so:
 * - never: link-local (169.254.0.0/16 incl. the cloud metadata address, fe80::/10), AWS's IPv6
 *   metadata fd00:ec2::254, unspecified, multicast and reserved ranges;
 * - only with STEWARD_NOTIFY_ALLOW_PRIVATE: loopback and private ranges (127/8, 10/8,
 *   172.16/12, 192.168/16, 100.64/10, 198.18/15, ::1, fc00::/7, 64:ff9b::/96).
 * The check runs on every address the host name resolves to, at connect time (transports/http.ts
 * pins the checked address), so DNS rebinding cannot slip past it.
 */
import net from 'node:net';

const never = new net.BlockList();
never.addSubnet('0.0.0.0', 8, 'ipv4');
never.addSubnet('169.254.0.0', 16, 'ipv4');
never.addSubnet('224.0.0.0', 4, 'ipv4');
never.addSubnet('240.0.0.0', 4, 'ipv4');
never.addAddress('::', 'ipv6');
never.addAddress('fd00:ec2::254', 'ipv6');
never.addSubnet('fe80::', 10, 'ipv6');
never.addSubnet('ff00::', 8, 'ipv6');

const privateRanges = new net.BlockList();
privateRanges.addSubnet('127.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('10.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('172.16.0.0', 12, 'ipv4');
privateRanges.addSubnet('192.168.0.0', 16, 'ipv4');
privateRanges.addSubnet('100.64.0.0', 10, 'ipv4');
privateRanges.addSubnet('198.18.0.0', 15, 'ipv4');
privateRanges.addAddress('::1', 'ipv6');
privateRanges.addSubnet('fc00::', 7, 'ipv6');
privateRanges.addSubnet('64:ff9b::', 96, 'ipv6');

/** `::ffff:1.2.3.4` and `::ffff:102:304` are IPv4 addresses in disguise: check them as such. */
function unmapped(ip: string): { ip: string; family: 'ipv4' | 'ipv6' } | null {
  const kind = net.isIP(ip);
  if (kind === 4) return { ip, family: 'ipv4' };
  if (kind !== 6) return null;
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip) ?? /^::(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (dotted) return { ip: dotted[1]!, family: 'ipv4' };
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return { ip: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, family: 'ipv4' };
  }
  return { ip, family: 'ipv6' };
}

/** Why `ip` may not be contacted, or null when it may. */
export function addressRefusal(ip: string, allowPrivate: boolean): string | null {
  const a = unmapped(ip.replace(/^\[|\]$/g, ''));
  if (!a) return `${ip} is not an IP address`;
  if (never.check(a.ip, a.family)) return `${ip} is a link-local, metadata or reserved address`;
  if (!allowPrivate && privateRanges.check(a.ip, a.family)) return `${ip} is a loopback or private address (set STEWARD_NOTIFY_ALLOW_PRIVATE=1 to allow it)`;
  return null;
}

/** Refusals for SMTP relays: loopback and private are fine (a local relay is normal), the rest is as for webhooks. */
export function relayRefusal(ip: string): string | null {
  return addressRefusal(ip, true);
}
