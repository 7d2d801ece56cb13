/** Building and reading the columnar ScanEntries (see types.ts). */
import type { EntryType, ScanEntries, ScanEntry } from './types';

/** Entry type codes, as stored in ScanEntries.type. */
export const ENTRY_TYPES: readonly EntryType[] = ['file', 'dir', 'symlink', 'other'];
export const TYPE_FILE = 0;
export const TYPE_DIR = 1;
export const TYPE_SYMLINK = 2;
export const TYPE_OTHER = 3;

const TYPE_CODE: Readonly<Record<EntryType, number>> = { file: TYPE_FILE, dir: TYPE_DIR, symlink: TYPE_SYMLINK, other: TYPE_OTHER };

/** Appends entries column by column, growing typed arrays by doubling. */
export class ScanEntriesBuilder {
  private readonly paths: string[] = [];
  private sizes = new Float64Array(1024);
  private mtimes = new Float64Array(1024);
  private types = new Uint8Array(1024);
  private inos = new Float64Array(1024);
  private ctimes = new Float64Array(1024);
  private n = 0;

  get length(): number {
    return this.n;
  }

  /** Appends one entry; `ino` and `ctimeMs` (identity for the executor) default to 0 (unknown). */
  push(path: string, size: number, mtimeMs: number, type: number, ino = 0, ctimeMs = 0): void {
    if (this.n === this.sizes.length) {
      const grow = <T extends Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.sizes = grow(this.sizes, (k) => new Float64Array(k));
      this.mtimes = grow(this.mtimes, (k) => new Float64Array(k));
      this.types = grow(this.types, (k) => new Uint8Array(k));
      this.inos = grow(this.inos, (k) => new Float64Array(k));
      this.ctimes = grow(this.ctimes, (k) => new Float64Array(k));
    }
    this.paths.push(path);
    this.sizes[this.n] = size;
    this.mtimes[this.n] = mtimeMs;
    this.types[this.n] = type;
    this.inos[this.n] = ino;
    this.ctimes[this.n] = ctimeMs;
    this.n++;
  }

  /** The entries so far (typed arrays trimmed to length; the builder must not be used after). `identity`: include ino/ctime columns. */
  finish(identity = false): ScanEntries {
    const n = this.n;
    const base = { length: n, path: this.paths, size: this.sizes.slice(0, n), mtimeMs: this.mtimes.slice(0, n), type: this.types.slice(0, n) };
    return identity ? { ...base, ino: this.inos.slice(0, n), ctimeMs: this.ctimes.slice(0, n) } : base;
  }
}

/** Columns from a list of entries. */
export function toScanEntries(list: readonly ScanEntry[]): ScanEntries {
  const b = new ScanEntriesBuilder();
  for (const e of list) b.push(e.path, e.size, e.mtimeMs, TYPE_CODE[e.type]);
  return b.finish();
}

/** Entry i as an object. */
export function scanEntryAt(entries: ScanEntries, i: number): ScanEntry {
  return {
    path: entries.path[i] as string,
    size: entries.size[i] as number,
    mtimeMs: entries.mtimeMs[i] as number,
    type: ENTRY_TYPES[entries.type[i] as number] ?? 'other',
  };
}

/** Every entry as an object (tests and small roots; a million entries make a million objects). */
export function scanEntryList(entries: ScanEntries): ScanEntry[] {
  // Stryker disable next-line ArrayDeclaration: preallocation only; the loop fills every slot either way
  const out: ScanEntry[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) out[i] = scanEntryAt(entries, i);
  return out;
}
