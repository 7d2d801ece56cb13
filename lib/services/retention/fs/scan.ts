/**
 * Scanner of a retention root: lists every entry under it, with lstat data, for the planner.
 *
 * Two walkers with one contract: the native one (scan-native.ts, built by `npm install` when a C
 * compiler and Node's headers are there) and the JavaScript one (scan-js.ts), used when the native
 * one is not built or STEWARD_SCANNER=js. Tests run the safety cases against both and compare
 * their output on the same trees.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Scan } from '@/lib/engine/retention';
import { getEnv } from '@/lib/env';
import { walkJs } from './scan-js';
import { nativeUnavailable, walkNative } from './scan-native';
import { type RootCheck, rootReason, ScanRootError } from './scan-types';

export { ScanRootError } from './scan-types';

export interface ScanError {
  /** Path relative to the root ("." for the root itself). */
  path: string;
  message: string;
}

/** "native": the C walker (an error if it is not built); "js": the JavaScript walker; "auto": native when built. */
export type ScannerChoice = 'auto' | 'native' | 'js';

export interface ScanOptions {
  /** Called for each problem as it is found (it is also recorded in scan.errors). */
  onError?: (error: ScanError) => void;
  /** Aborts the scan (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Which walker; defaults to STEWARD_SCANNER (default "auto"). */
  scanner?: ScannerChoice;
  /**
   * The registered (device, inode) of the root: a path that now leads to another directory (an
   * ancestor swapped for a symlink) is refused with ScanRootError instead of being scanned.
   */
  expect?: { dev: number; ino: number } | null;
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
  /** The walker that ran. */
  scanner: 'native' | 'js';
  /** The scanned root directory's device and inode. */
  rootIdentity: { dev: number; ino: number };
}

/** The walker scanRoot would use for `choice`, or an error naming why native is unavailable. */
export function resolveScanner(choice: ScannerChoice = defaultScanner()): 'native' | 'js' {
  if (choice === 'js') return 'js';
  const why = nativeUnavailable();
  if (why === null) return 'native';
  if (choice === 'native') throw new Error(`STEWARD_SCANNER=native but the native scanner is unavailable: ${why}`);
  return 'js';
}

function defaultScanner(): ScannerChoice {
  return getEnv().STEWARD_SCANNER;
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
 * - Paths are relative to the root, POSIX separators, no "./"; order is unspecified (the native
 *   walker gives path order).
 */
export async function scanRoot(root: string, opts: ScanOptions = {}): Promise<{ scan: Scan; stats: ScanStats }> {
  if (typeof root !== 'string' || !path.isAbsolute(root)) throw new ScanRootError(String(root), 'not an absolute path');
  const scanner = resolveScanner(opts.scanner);
  const base = path.resolve(root);
  let rootSt: fs.Stats;
  try {
    rootSt = fs.lstatSync(base);
  } catch (err) {
    throw new ScanRootError(base, rootReason(err));
  }
  if (rootSt.isSymbolicLink()) throw new ScanRootError(base, 'is a symlink (configure its real path)');
  if (!rootSt.isDirectory()) throw new ScanRootError(base, 'is not a directory');
  if (opts.expect && (opts.expect.dev !== rootSt.dev || opts.expect.ino !== rootSt.ino)) {
    throw new ScanRootError(base, `is no longer the directory that was registered (device ${opts.expect.dev}, inode ${opts.expect.ino}; the path now leads to device ${rootSt.dev}, inode ${rootSt.ino}): a directory on the way may have been replaced`);
  }
  opts.signal?.throwIfAborted();

  const errors: ScanError[] = [];
  const report = (p: string, message: string): void => {
    const e = { path: p, message };
    errors.push(e);
    opts.onError?.(e);
  };
  const check: RootCheck = { base, dev: rootSt.dev, ino: rootSt.ino };
  const walked = scanner === 'native' ? await walkNative(check, report, opts.signal) : await walkJs(check, report, opts.signal);

  let fsBytes = 0;
  let fsFree = 0;
  try {
    const sfs = fs.statfsSync(base);
    fsBytes = sfs.bsize * sfs.blocks;
    fsFree = sfs.bsize * sfs.bavail;
  } catch {
    // Left at 0 ("unknown"): not an entry error, so it must not count in scan.errors.
  }
  return {
    scan: { root: base, entries: walked.entries, errors },
    stats: { fileCount: walked.fileCount, rootBytes: walked.rootBytes, fsBytes, fsFree, scanner, rootIdentity: { dev: rootSt.dev, ino: rootSt.ino } },
  };
}
