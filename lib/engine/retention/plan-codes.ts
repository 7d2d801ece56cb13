/** Per-file decisions of the planner, stored in a Uint8Array; values below FIRST_ACTION keep the file. */
import type { ActionReasonCode, KeptReasonCode, ScanEntries } from './types';

export const PROTECTED = 0;
export const NONFILE = 1;
export const NORULE = 2;
export const LATEST = 3;
export const WITHIN_TTL = 4;
export const ARCHIVED = 5;
export const NOT_DUE = 6;
export const NO_ACTION = 7;
export const DEL_TTL = 8;
export const DEL_RANK = 9;
export const COMPRESS = 10;
export const EVICT = 11;
export const FIRST_ACTION = DEL_TTL;

/** reasonCode of each kept decision, indexed by decision. */
export const KEEP_CODES: readonly KeptReasonCode[] = ['protected', 'not-a-regular-file', 'no-rule', 'among-latest', 'within-ttl', 'compressed-already', 'not-due', 'no-action'];

/** reasonCode of each action decision. */
export const ACTION_CODES: Readonly<Record<number, ActionReasonCode>> = {
  [DEL_TTL]: 'older-than-ttl',
  [DEL_RANK]: 'beyond-keep-latest',
  [COMPRESS]: 'compress-after',
  [EVICT]: 'evicted-for-cap',
};

/** What the classification phase hands to the output phase. */
export interface Decisions {
  entries: ScanEntries;
  /** Indices into entries of the non-directory entries, in path order; the arrays below follow it. */
  order: Uint32Array;
  decision: Uint8Array;
  /** Governing rule index; protect rule index when PROTECTED; -1 for none. */
  owner: Int32Array;
  /** 1-based keep-latest rank, 0 when the rule has no keepLatest. */
  rank: Int32Array;
}
