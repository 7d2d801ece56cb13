import { describe, expect, it } from 'vitest';
import { hasRole, hasScope, isRole } from './roles';

describe('hasRole', () => {
  it('orders viewer < operator < admin', () => {
    expect(hasRole('viewer', 'viewer')).toBe(true);
    expect(hasRole('viewer', 'operator')).toBe(false);
    expect(hasRole('operator', 'operator')).toBe(true);
    expect(hasRole('operator', 'admin')).toBe(false);
    expect(hasRole('admin', 'operator')).toBe(true);
    expect(hasRole('admin', 'admin')).toBe(true);
  });
  it('gives an unknown, empty or differently-cased role no rights', () => {
    expect(hasRole('root', 'viewer')).toBe(false);
    expect(hasRole('', 'viewer')).toBe(false);
    expect(hasRole(null, 'viewer')).toBe(false);
    expect(hasRole('Admin', 'viewer')).toBe(false);
    expect(isRole('__proto__')).toBe(false);
  });
});

describe('hasScope', () => {
  it('requires the exact scope', () => {
    expect(hasScope(['read'], 'read')).toBe(true);
    expect(hasScope(['read'], 'ingest')).toBe(false);
    expect(hasScope([], 'read')).toBe(false);
    expect(hasScope(['ingest', 'read'], 'ingest')).toBe(true);
  });
});
