import { describe, expect, it } from 'vitest';
import { naturalKey } from './natural-key';

const byKey = (xs: string[]) => [...xs].sort((a, b) => (naturalKey(a) < naturalKey(b) ? -1 : naturalKey(a) > naturalKey(b) ? 1 : 0));
const collator = new Intl.Collator('en', { numeric: true });

describe('naturalKey', () => {
  it('orders numbers by value, like Intl.Collator numeric', () => {
    const names = ['ITER_SUMMARY_10.json', 'ITER_SUMMARY_2.json', 'ITER_SUMMARY_1.json', 'ITER_SUMMARY_100.json', 'ITER_SUMMARY_20.json'];
    expect(byKey(names)).toEqual(['ITER_SUMMARY_1.json', 'ITER_SUMMARY_2.json', 'ITER_SUMMARY_10.json', 'ITER_SUMMARY_20.json', 'ITER_SUMMARY_100.json']);
    expect(byKey(names)).toEqual([...names].sort(collator.compare));
    const nested = ['run10/x2', 'run2/x10', 'run2/x2', 'run1/x1'];
    expect(byKey(nested)).toEqual([...nested].sort(collator.compare));
  });

  it('pads runs under 20 digits and leaves longer ones, so they still sort after', () => {
    expect(naturalKey('a7b')).toBe(`a${'0'.repeat(19)}7b`);
    expect(naturalKey('7'.repeat(25))).toBe('7'.repeat(25));
    expect(byKey(['n' + '9'.repeat(19), 'n' + '1'.repeat(21)])).toEqual(['n' + '9'.repeat(19), 'n' + '1'.repeat(21)]);
    expect(naturalKey('no digits')).toBe('no digits');
  });
});
