/**
 * Shared types of the retention engine. Pure data: no fs, no clock, no database.
 * Times are epoch milliseconds; sizes are bytes; paths are POSIX paths relative to the root.
 */

export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

/** One entry found by a scan of a root (the row form of ScanEntries, for tests and small lists). */
export interface ScanEntry {
  /** Path relative to the root, POSIX separators, no leading "./". */
  path: string;
  size: number;
  /** Modification time, epoch ms. */
  mtimeMs: number;
  type: EntryType;
}

/**
 * The entries of a scan, column by column: entry i is (path[i], size[i], mtimeMs[i], type[i]).
 * Columnar because roots hold up to millions of files: a million entries take ~20 MB of typed
 * arrays plus the path strings, against ~150 MB as one object per entry.
 */
export interface ScanEntries {
  readonly length: number;
  readonly path: readonly string[];
  readonly size: Float64Array;
  /** Modification times, epoch ms. */
  readonly mtimeMs: Float64Array;
  /** Index into ENTRY_TYPES: 0 file, 1 dir, 2 symlink, 3 other. */
  readonly type: Uint8Array;
  /**
   * Identity of each entry (inode number as a double, change time in epoch ms), when the scanner
   * gives it. The planner never reads them; they travel with planned actions so that the executor
   * can refuse a file that was replaced or rewritten since the plan (same size and mtime restored).
   */
  readonly ino?: Float64Array;
  readonly ctimeMs?: Float64Array;
}

export interface Scan {
  /** Absolute path of the root that was scanned. */
  root: string;
  entries: ScanEntries;
  /** Entries that could not be read; reported, never acted on. */
  errors: { path: string; message: string }[];
}

/** What a rule does to the files it matches. Every field is optional; a rule with none only groups. */
export interface RetentionRule {
  /** Stable identifier shown in plans ("rule 2: ITER_SUMMARY_*.json"). */
  id: string;
  /** Glob relative to the root (picomatch syntax, dotfiles matched). A bare directory name "logs" means "logs/**". */
  match: string;
  /** Delete files older than this many ms. */
  ttlMs?: number;
  /** Keep only the newest N files matched by this rule (per rule, across the whole root). */
  keepLatest?: number;
  /** Compress files older than this many ms into a .tar.gz next to them. */
  compressAfterMs?: number;
}

export interface ProtectRule {
  id: string;
  match: string;
  reason?: string;
}

export type SizeCapAction = 'warn' | 'evict-oldest';

export interface RetentionPolicy {
  rules: RetentionRule[];
  /** Protect rules always beat delete, compress and eviction. */
  protect: ProtectRule[];
  /** Root-wide cap in bytes; undefined means no cap. */
  maxSizeBytes?: number;
  /** What to do when the root is still over the cap after rules: warn only (mm-bot default) or evict oldest first (rotate_artifacts). */
  sizeCapAction: SizeCapAction;
}

export type ActionKind = 'delete' | 'compress';

export interface PlannedAction {
  kind: ActionKind;
  path: string;
  size: number;
  mtimeMs: number;
  /** Id of the rule that caused it, or "size-cap" for eviction. */
  ruleId: string;
  /** Human reason, e.g. "older than TTL 7d (age 8d 2h)", "beyond keep-latest 100 (rank 101)", "evicted to meet cap 900 MB". */
  reason: string;
  /** Bytes this action is expected to free (compress: estimate). */
  bytesFreed: number;
  /** Machine-readable cause: "older-than-ttl" | "beyond-keep-latest" | "evicted-for-cap" | "compress-after". */
  reasonCode?: ActionReasonCode;
  /** The scanned file's inode and change time (when the scan had them): checked before acting. */
  ino?: number;
  ctimeMs?: number;
}

export type ActionReasonCode = 'older-than-ttl' | 'beyond-keep-latest' | 'evicted-for-cap' | 'compress-after';

/** Why a file is kept; see planRetention for the meaning of each code. */
export type KeptReasonCode =
  | 'protected'
  | 'not-a-regular-file'
  | 'no-rule'
  | 'among-latest'
  | 'within-ttl'
  | 'compressed-already'
  | 'not-due'
  | 'no-action';

export interface KeptFile {
  path: string;
  size: number;
  mtimeMs: number;
  /** A KeptReasonCode: "protected" | "within-ttl" | "among-latest" | "no-rule" | "compressed-already" etc. */
  reasonCode: string;
  reason: string;
  ruleId?: string;
}

export interface Plan {
  root: string;
  nowMs: number;
  totals: {
    filesScanned: number;
    filesToDelete: number;
    filesToCompress: number;
    bytesBefore: number;
    bytesFreed: number;
    bytesAfter: number;
    maxSizeBytes: number | null;
    withinLimit: boolean;
  };
  warnings: string[];
  /** Number of actions (filesToDelete + filesToCompress). */
  readonly actionCount: number;
  /** Number of kept files (filesScanned - actionCount). */
  readonly keptCount: number;
  /** The actions in order, built one at a time and not retained: the way to read a large plan. */
  eachAction(): IterableIterator<PlannedAction>;
  /** The kept files in path order, built one at a time and not retained. */
  eachKept(): IterableIterator<KeptFile>;
  /**
   * Every action as one array, built on first read and cached. Convenient for tests and small
   * roots; about 100 bytes an action, so a million-file plan should use eachAction().
   */
  readonly actions: readonly PlannedAction[];
  /** Every kept file as one array (see actions). */
  readonly kept: readonly KeptFile[];
}
