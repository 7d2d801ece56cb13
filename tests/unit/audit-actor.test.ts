import { describe, expect, it } from 'vitest';
import { actorDetail, displayAddress } from '@/components/audit/actor';

describe('displayAddress', () => {
  it('shows an IPv4-mapped IPv6 address as plain IPv4', () => {
    expect(displayAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(displayAddress('::FFFF:10.20.30.40')).toBe('10.20.30.40');
  });
  it('leaves everything else as stored', () => {
    for (const v of ['127.0.0.1', '2001:db8::1', '::1', '::ffff:999.1.1.1', '::ffff:1.2.3', '::ffff:7f00:1', 'demo', 'cli']) expect(displayAddress(v)).toBe(v);
  });
});

describe('actorDetail', () => {
  it('says the kind of actor and its origin once', () => {
    expect(actorDetail({ actorType: 'cli', actorLabel: 'cli:root', origin: 'cli' })).toBe('cli');
    expect(actorDetail({ actorType: 'system', actorLabel: 'job:rotation:soak', origin: 'job:rotation:soak' })).toBe('system');
    expect(actorDetail({ actorType: 'user', actorLabel: 'a@b.c', origin: '::ffff:127.0.0.1' })).toBe('user · 127.0.0.1');
    expect(actorDetail({ actorType: 'token', actorLabel: 'token:ci', origin: '10.0.0.7' })).toBe('token · 10.0.0.7');
    expect(actorDetail({ actorType: 'user', actorLabel: 'a@b.c', origin: null })).toBe('user');
    expect(actorDetail({ actorType: 'user', actorLabel: 'a@b.c', origin: ' ' })).toBe('user');
  });
});
