import { describe, expect, it } from 'vitest';
import { hash64, KeyCounter } from './key-counter';

describe('KeyCounter', () => {
  it('counts sightings per key, 0 for a key never added', () => {
    const k = new KeyCounter();
    expect(k.count('a')).toBe(0);
    expect(k.add('a')).toBe(1);
    expect(k.add('b')).toBe(1);
    expect(k.add('a')).toBe(2);
    expect([k.count('a'), k.count('b'), k.count('c'), k.size]).toEqual([2, 1, 0, 2]);
  });

  it('keeps every count across growth (200,000 keys from a 1,024-slot start)', () => {
    const k = new KeyCounter();
    const start = k.bytes;
    for (let i = 0; i < 200_000; i++) k.add(`["suite","pkg.Class","test_${i}",""]`);
    for (let i = 0; i < 200_000; i += 3) k.add(`["suite","pkg.Class","test_${i}",""]`);
    expect(k.size).toBe(200_000);
    let once = 0;
    let twice = 0;
    for (let i = 0; i < 200_000; i++) {
      const n = k.count(`["suite","pkg.Class","test_${i}",""]`);
      if (n === 1) once++;
      else if (n === 2 && i % 3 === 0) twice++;
    }
    expect([once, twice]).toEqual([200_000 - 66_667, 66_667]);
    // 9 bytes a slot, at most 3/4 full: 2^19 slots for 200,000 keys (2^18 hold 196,608).
    expect(start).toBe(1024 * 9);
    expect(k.bytes).toBe(2 ** 19 * 9);
  });

  it('grows when a key would fill more than 3/4 of the slots, not before', () => {
    const k = new KeyCounter();
    for (let i = 0; i < 768; i++) k.add(`k${i}`);
    expect(k.bytes).toBe(1024 * 9);
    k.add('k768');
    expect(k.bytes).toBe(2048 * 9);
    expect(k.size).toBe(769);
    for (let i = 0; i <= 768; i++) expect(k.count(`k${i}`)).toBe(1);
  });

  it('saturates at 255 instead of wrapping to 0', () => {
    const k = new KeyCounter();
    for (let i = 0; i < 300; i++) k.add('x');
    expect(k.count('x')).toBe(255);
    expect(k.add('x')).toBe(255);
  });

  it('tells apart keys that differ in one code unit, order or length', () => {
    const keys = ['', 'a', 'b', 'ab', 'ba', 'a\u0000', '\u0000a', 'é', 'e\u0301', 'a'.repeat(1000), `${'a'.repeat(999)}b`];
    const hashes = new Set(keys.map((s) => hash64(s).join(':')));
    expect(hashes.size).toBe(keys.length);
    const k = new KeyCounter();
    for (const s of keys) k.add(s);
    expect(keys.map((s) => k.count(s))).toEqual(keys.map(() => 1));
  });

  it('a starting capacity rounds up to a power of two, never below 1,024 slots', () => {
    expect(new KeyCounter(1).bytes).toBe(1024 * 9);
    expect(new KeyCounter(5000).bytes).toBe(8192 * 9);
  });
});
