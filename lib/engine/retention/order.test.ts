import { describe, expect, it } from 'vitest';
import { formatDuration } from '../units';
import { ageFormatter, sortByMtime, sortedFileIndex } from './order';
import { toScanEntries } from './scan-entries';
import type { ScanEntry } from './types';

const e = (path: string, mtimeMs: number, size = 1, type: ScanEntry['type'] = 'file'): ScanEntry => ({ path, size, mtimeMs, type });

/** Paths of the chosen entries, with the facts that tell duplicates apart. */
function chosen(list: ScanEntry[]): { order: string[]; warnings: string[] } {
  const entries = toScanEntries(list);
  const warnings: string[] = [];
  const order = Array.from(sortedFileIndex(entries, warnings), (i) => `${entries.path[i]}@${entries.mtimeMs[i]}/${entries.size[i]}/${entries.type[i]}`);
  return { order, warnings };
}

describe('sortedFileIndex', () => {
  // Enough filler that one or two descents count as "nearly sorted" (the comparator sort) while
  // the reversed list is shuffled (the native sort); already sorted input is not sorted at all.
  const filler = Array.from({ length: 40 }, (_, k) => e(`f/${String(k).padStart(2, '0')}`, 1));
  const layouts = (dups: ScanEntry[]): [string, ScanEntry[]][] => [
    ['sorted', [...dups, ...filler]],
    ['nearly sorted', [...filler, ...dups]],
    ['one descent', [filler[1]!, filler[0]!, ...dups, ...filler.slice(2)]],
    ['split', [dups[0]!, ...filler, ...dups.slice(1)]],
    ['shuffled', [...filler, ...dups].reverse()],
  ];

  it('keeps the newest entry of a duplicated path, in every input layout', () => {
    for (const [name, list] of layouts([e('a', 5), e('a', 9)])) {
      const r = chosen(list);
      expect(r.order[0], name).toBe('a@9/1/0');
      expect(r.order).toHaveLength(41);
      expect(r.warnings, name).toEqual(['1 duplicate path(s) in the scan; the newest entry of each was used']);
    }
    for (const [name, list] of layouts([e('a', 9), e('a', 5)])) expect(chosen(list).order[0], name).toBe('a@9/1/0');
  });

  it('on equal mtimes keeps the larger, then the first in type order (dir < file < other < symlink)', () => {
    for (const [name, list] of layouts([e('a', 5, 1), e('a', 5, 7)])) expect(chosen(list).order[0], name).toBe('a@5/7/0');
    for (const [name, list] of layouts([e('a', 5, 7), e('a', 5, 1)])) expect(chosen(list).order[0], name).toBe('a@5/7/0');
    for (const [name, list] of layouts([e('a', 5, 1, 'symlink'), e('a', 5, 1, 'file')])) expect(chosen(list).order[0], name).toBe('a@5/1/0');
    for (const [name, list] of layouts([e('a', 5, 1, 'file'), e('a', 5, 1, 'symlink')])) expect(chosen(list).order[0], name).toBe('a@5/1/0');
    for (const [name, list] of layouts([e('a', 5, 1, 'symlink'), e('a', 5, 1, 'other')])) expect(chosen(list).order[0], name).toBe('a@5/1/3');
  });

  it('three entries of one path: one kept, two counted', () => {
    for (const [name, list] of layouts([e('a', 5), e('a', 7), e('a', 6)])) {
      const r = chosen(list);
      expect(r.order[0], name).toBe('a@7/1/0');
      expect(r.warnings[0], name).toMatch(/^2 duplicate path/);
    }
  });

  it('sorts by UTF-16 code units, leaves directories out, and does not warn without duplicates', () => {
    const r = chosen([e('b', 1), e('d', 1, 0, 'dir'), e('B', 1), e('a/b', 1), e('a', 1), e('é', 1), e('z', 1)]);
    expect(r.order.map((s) => s.split('@')[0])).toEqual(['B', 'a', 'a/b', 'b', 'z', 'é']);
    expect(r.warnings).toEqual([]);
  });

  it('a single descent among many sorted paths is still sorted', () => {
    const r = chosen([...filler.slice(0, 10), filler[11]!, filler[10]!, ...filler.slice(12)]);
    expect(r.order.map((s) => s.split('@')[0])).toEqual(filler.map((f) => f.path));
    expect(r.warnings).toEqual([]);
  });
});

describe('sortByMtime', () => {
  it('orders newest or oldest first, ties by index', () => {
    const mt = new Float64Array([5, 9, 5, 1]);
    expect(Array.from(sortByMtime([0, 1, 2, 3], mt, true))).toEqual([1, 0, 2, 3]);
    expect(Array.from(sortByMtime([3, 2, 1, 0], mt, false))).toEqual([3, 0, 2, 1]);
  });
});

describe('ageFormatter', () => {
  it('gives exactly what formatDuration gives, for every magnitude (cached or not)', () => {
    const f = ageFormatter();
    const S = 1000;
    const samples = [0, 1, 999, S, 1500, 59 * S + 999, 60 * S, 90 * S + 123, 3599 * S, 3600 * S, 3600 * S + 61 * S, 86_399_999, 86_400_000, 86_400_000 + 3_599_999, 90_000_000 + 59_000, 30 * 86_400_000 + 7_200_001];
    for (let pass = 0; pass < 2; pass++) for (const ms of samples) expect(f(ms), String(ms)).toBe(formatDuration(ms));
  });
});
