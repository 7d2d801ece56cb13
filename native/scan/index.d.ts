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
  /** Chunks of NUL-separated pairs: path, code (an errno name, EXDEV, EILSEQ or REPLACED). */
  errors?: string[];
  fileCount?: number;
  rootBytes?: number;
}
export type NativeScan = (root: string, dev: number, ino: number, cancel: Int32Array) => Promise<NativeScanResult>;
export const scan: NativeScan | null;
export const loadError: string | null;
