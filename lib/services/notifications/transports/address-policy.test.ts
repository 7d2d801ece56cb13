import { describe, expect, it } from 'vitest';
import { addressRefusal, relayRefusal } from './address-policy';

describe('address policy', () => {
  it('always refuses link-local, metadata, unspecified and multicast, also in IPv4-mapped form', () => {
    for (const ip of ['169.254.169.254', '169.254.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', 'fd00:ec2::254', 'fe80::1', '::', 'ff02::1', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '[fd00:ec2::254]']) {
      expect(addressRefusal(ip, true), ip).toMatch(/link-local, metadata or reserved/);
      expect(relayRefusal(ip), ip).not.toBeNull();
    }
  });
  it('refuses loopback and private unless allowed', () => {
    for (const ip of ['127.0.0.1', '127.255.255.254', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '::1', 'fc00::1', 'fd12::1', '::ffff:127.0.0.1', '::ffff:7f00:1']) {
      expect(addressRefusal(ip, false), ip).toMatch(/STEWARD_NOTIFY_ALLOW_PRIVATE/);
      expect(addressRefusal(ip, true), ip).toBeNull();
      expect(relayRefusal(ip), ip).toBeNull();
    }
  });
  it('allows public addresses at the edges of the private ranges', () => {
    for (const ip of ['8.8.8.8', '172.15.255.255', '172.32.0.0', '169.253.255.255', '169.255.0.0', '11.0.0.0', '2606:4700::1111', '100.63.255.255']) {
      expect(addressRefusal(ip, false), ip).toBeNull();
    }
  });
  it('a host name is not an address', () => {
    expect(addressRefusal('example.com', true)).toMatch(/not an IP address/);
  });
});
