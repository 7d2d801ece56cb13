export interface NativeScanResult {
  /** "ok"; "root" when the root could not be opened (errno says why, EUNKNOWN: replaced since checked); "aborted"; "oom". */
  status: 'ok' | 'root' | 'aborted' | 'oom';
  errno: string;
  /** Chunks of NUL-separated relative paths, in path (UTF-8 byte) order. */
  paths?: string[];
  size?: Float64Array;
  mtime?: Float64Array;
  /** 0 file, 1 dir, 2 symlink, 3 other. */
  type?: Uint8Array;
  /** Inode numbers (as doubles) and change times (epoch ms): the identity the executor compares. */
  ino?: Float64Array;
  ctime?: Float64Array;
  /** Chunks of NUL-separated pairs: path, code (an errno name, EXDEV, EILSEQ or REPLACED). */
  errors?: string[];
  fileCount?: number;
  rootBytes?: number;
}
export type NativeScan = (root: string, dev: number, ino: number, cancel: Int32Array) => Promise<NativeScanResult>;
export const scan: NativeScan | null;
/**
 * Descriptor-relative calls (pinned.c). Every call returns 0 (or an fd) on success and an errno
 * number (openBeneath: a negative errno) on failure; none throws for a filesystem error.
 * Stat arrays: [dev, ino, mode, nlink, uid, gid, size, mtimeMs, ctimeMs, blocks].
 */
export interface NativePinned {
  openBeneath(dirfd: number, rel: string, flags: number, mode: number): number;
  statAt(dirfd: number, name: string, out: Float64Array): number;
  fstatFd(fd: number, out: Float64Array): number;
  unlinkAt(dirfd: number, name: string): number;
  linkAt(dirfd: number, from: string, to: string): number;
  renameAt(dirfd: number, from: string, to: string): number;
  mkdirAt(dirfd: number, name: string, mode: number): number;
  lockFd(fd: number): number;
}
export const pinned: NativePinned | null;
export const loadError: string | null;
