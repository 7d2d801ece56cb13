/** Types and messages shared by the scanner (scan.ts) and its two walkers. */
import type { ScanEntries } from '@/lib/engine/retention';
import { fsErrorMessage } from './safety';

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

/** The root as checked with lstat before the walk. */
export interface RootCheck {
  base: string;
  dev: number;
  ino: number;
}

export interface WalkResult {
  entries: ScanEntries;
  fileCount: number;
  rootBytes: number;
}

/** Messages for the conditions that are not plain errno errors. */
export const MESSAGES = {
  REPLACED: 'replaced during the scan, not scanned',
  EXDEV: 'other filesystem, not scanned',
  EILSEQ: 'file name is not valid UTF-8, not scanned',
} as const;

export function rootReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a directory' : fsErrorMessage(err);
}
