/**
 * Scanner of a retention root: lists every entry under it, with lstat data, for the planner.
 *
 * Speed matters (roots hold 10^5..10^6 files): the walk is a synchronous explicit-stack loop of
 * readdirSync (names only) + lstatSync per entry. Measured on 200k files against the alternatives:
 * readdir withFileTypes (+ lstat anyway, since size and mtime are needed) and opendirSync are no
 * faster, callback/promise lstat batches are 2-4x slower (per-call overhead dominates), and a pool of
 * worker threads was slower on 2 cores. It yields to the event loop every ~40 ms so a server stays
 * responsive during a large scan.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Scan, ScanEntry } from '@/lib/engine/retention/types';
import { fsErrorMessage } from './safety';

export interface ScanError {
  /** Path relative to the root ("." for the root itself). */
  path: string;
  message: string;
}

export interface ScanOptions {
  /** Called for each problem as it is found (it is also recorded in scan.errors). */
  onError?: (error: ScanError) => void;
  /** Aborts the scan at the next yield point (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

export interface ScanStats {
  /** Regular files found. */
  fileCount: number;
  /** Sum of regular file sizes (symlinks, directories and special files excluded, like the planner's bytesBefore). */
  rootBytes: number;
  /** Size of the filesystem holding the root (statfs bsize * blocks); 0 if statfs failed. */
  fsBytes: number;
  /** Space available to unprivileged users on it (statfs bsize * bavail). */
  fsFree: number;
}

/** The root itself cannot be scanned (missing, not a directory, symlink, unreadable). */
export class ScanRootError extends Error {
  constructor(
    readonly root: string,
    readonly reason: string,
  ) {
    super(`cannot scan root "${root}": ${reason}`);
    this.name = 'ScanRootError';
  }
}

const YIELD_EVERY_MS = 40;
const NO_THROW = { throwIfNoEntry: false } as const;

function rootReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a directory' : fsErrorMessage(err);
}

/**
 * Scans `root` (an absolute directory; pass the realpath from checkAllowedRoot). Contract:
 * - Throws ScanRootError naming the root when it is relative, missing, not a directory, a symlink
 *   or unreadable: an unreadable root must not look like an empty one.
 * - Never follows symlinks: they are entries of type 'symlink' with their own lstat size and are
 *   never descended. Sockets, FIFOs and devices are type 'other'. Directories are 'dir' entries.
 * - Stays on the root's filesystem: a directory with another st_dev (a mount) is not listed nor
 *   descended, and is reported in scan.errors as "other filesystem, not scanned".
 * - Unreadable directories/files are reported in scan.errors ("permission denied") and the scan
 *   goes on; entries that vanish mid-scan are silently dropped. A directory replaced while being
 *   read (e.g. by a symlink) is reported and its listing discarded: it could list another tree.
 * - Paths are relative to the root, POSIX separators, no "./"; order is unspecified.
 */
export async function scanRoot(root: string, opts: ScanOptions = {}): Promise<{ scan: Scan; stats: ScanStats }> {
  if (typeof root !== 'string' || !path.isAbsolute(root)) throw new ScanRootError(String(root), 'not an absolute path');
  const base = path.resolve(root);
  let rootSt: fs.Stats;
  try {
    rootSt = fs.lstatSync(base);
  } catch (err) {
    throw new ScanRootError(base, rootReason(err));
  }
  if (rootSt.isSymbolicLink()) throw new ScanRootError(base, 'is a symlink (configure its real path)');
  if (!rootSt.isDirectory()) throw new ScanRootError(base, 'is not a directory');

  const entries: ScanEntry[] = [];
  const errors: ScanError[] = [];
  const report = (p: string, message: string): void => {
    const e = { path: p, message };
    errors.push(e);
    opts.onError?.(e);
  };
  const dev = rootSt.dev;
  // Explicit stack of directories still to read, with the inode seen when they were listed.
  const dirs: string[] = [''];
  const inos: number[] = [rootSt.ino];
  let fileCount = 0;
  let rootBytes = 0;
  let lastYield = performance.now();
  opts.signal?.throwIfAborted();

  while (dirs.length > 0) {
    const rel = dirs.pop() as string;
    const ino = inos.pop() as number;
    const abs = rel === '' ? base : `${base}/${rel}`;
    let names: string[];
    try {
      names = fs.readdirSync(abs);
    } catch (err) {
      if (rel === '') throw new ScanRootError(base, rootReason(err));
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      report(rel, code === 'ENOTDIR' ? 'replaced during the scan, not scanned' : fsErrorMessage(err));
      continue;
    }
    // readdir follows symlinks: a directory swapped for one after its lstat would be listed
    // through the link. Re-check that it is still the same directory (one lstat per directory).
    const again = fs.lstatSync(abs, NO_THROW);
    if (!again || !again.isDirectory() || again.ino !== ino || again.dev !== dev) {
      if (rel === '') throw new ScanRootError(base, 'replaced during the scan');
      report(rel, 'replaced during the scan, not scanned');
      continue;
    }
    const pre = `${abs}/`;
    const rp = rel === '' ? '' : `${rel}/`;
    for (const name of names) {
      const p = rp + name;
      let st: fs.Stats | undefined;
      try {
        st = fs.lstatSync(pre + name, NO_THROW);
      } catch (err) {
        report(p, fsErrorMessage(err));
        continue;
      }
      if (st === undefined) {
        // Gone since readdir, or a name that is not valid UTF-8 (Node cannot address it by string).
        if (name.includes('\uFFFD')) report(p, 'file name is not valid UTF-8, not scanned');
        continue;
      }
      if (st.isFile()) {
        fileCount++;
        rootBytes += st.size;
        entries.push({ path: p, size: st.size, mtimeMs: st.mtimeMs, type: 'file' });
      } else if (st.isDirectory()) {
        if (st.dev !== dev) {
          report(p, 'other filesystem, not scanned');
          continue;
        }
        entries.push({ path: p, size: st.size, mtimeMs: st.mtimeMs, type: 'dir' });
        dirs.push(p);
        inos.push(st.ino);
      } else {
        entries.push({ path: p, size: st.size, mtimeMs: st.mtimeMs, type: st.isSymbolicLink() ? 'symlink' : 'other' });
      }
    }
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      opts.signal?.throwIfAborted();
      lastYield = performance.now();
    }
  }

  let fsBytes = 0;
  let fsFree = 0;
  try {
    const sfs = fs.statfsSync(base);
    fsBytes = sfs.bsize * sfs.blocks;
    fsFree = sfs.bsize * sfs.bavail;
  } catch {
    // Left at 0 ("unknown"): not an entry error, so it must not count in scan.errors.
  }
  return { scan: { root: base, entries, errors }, stats: { fileCount, rootBytes, fsBytes, fsFree } };
}
