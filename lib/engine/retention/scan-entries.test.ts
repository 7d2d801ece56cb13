import { describe, expect, it } from 'vitest';
import { ScanEntriesBuilder, scanEntryAt, scanEntryList, toScanEntries, TYPE_DIR } from './scan-entries';
import type { ScanEntry } from './types';

describe('ScanEntries', () => {
  it('round-trips rows through columns, growing past the initial capacity', () => {
    const rows: ScanEntry[] = Array.from({ length: 2500 }, (_, i) => ({
      path: `d${i % 7}/f-${i}`,
      size: i * 3,
      mtimeMs: 1_700_000_000_000 + i + 0.25,
      type: (['file', 'dir', 'symlink', 'other'] as const)[i % 4] as ScanEntry['type'],
    }));
    const cols = toScanEntries(rows);
    expect(cols.length).toBe(2500);
    expect([cols.size.length, cols.mtimeMs.length, cols.type.length, cols.path.length]).toEqual([2500, 2500, 2500, 2500]);
    expect(scanEntryList(cols)).toEqual(rows);
    expect(scanEntryAt(cols, 1)).toEqual({ path: 'd1/f-1', size: 3, mtimeMs: 1_700_000_000_001.25, type: 'dir' });
    expect(cols.type[1]).toBe(TYPE_DIR);
  });

  it('an empty builder gives empty columns', () => {
    const cols = new ScanEntriesBuilder().finish();
    expect(cols.length).toBe(0);
    expect(scanEntryList(cols)).toEqual([]);
  });

  it('keeps the identity columns (ino, ctime) only when asked, and counts pushes', () => {
    const b = new ScanEntriesBuilder();
    b.push('a', 1, 2, 0, 77, 3.5);
    b.push('b', 4, 5, 9);
    expect(b.length).toBe(2);
    const plain = new ScanEntriesBuilder();
    plain.push('a', 1, 2, 0, 77, 3.5);
    expect('ino' in plain.finish()).toBe(false);
    const cols = b.finish(true);
    expect(Array.from(cols.ino ?? [])).toEqual([77, 0]);
    expect(Array.from(cols.ctimeMs ?? [])).toEqual([3.5, 0]);
    // an unknown type code reads back as "other"
    expect(scanEntryAt(cols, 1).type).toBe('other');
  });
});
