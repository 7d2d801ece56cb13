/**
 * Ready-made policies from the seeds: the mm-bot artifact manager's retention recommendations,
 * the two CLI flag families (mm-bot artifact_manager, rotate_artifacts) and donna's retention.json.
 * Sizes in MB are binary (1 MB = 1024² bytes), like everywhere in Steward.
 */
import { parseSize, UnitParseError } from '../units';
import { parsePolicy, type ParsePolicyResult, type PolicyError } from './policy';
import type { RetentionPolicy, RetentionRule } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
const MB = 1024 * 1024;

/** The rotation log Steward appends to (`rotation/ROTATION_LOG.jsonl`); every built-in policy protects it. */
export const ROTATION_LOG_PATH = 'rotation/ROTATION_LOG.jsonl';
/** Where a full rotation log is moved when it reaches its size limit (one generation is kept). */
export const ROTATION_LOG_PREVIOUS_PATH = 'rotation/ROTATION_LOG.1.jsonl';

/**
 * `policy` with the rotation log and its previous generation protected (rules added only when no
 * protect rule names them already). Steward appends to that log, so no rule may delete, compress
 * or evict it; whoever runs the rotation (CLI or server) applies this.
 */
export function protectRotationLog(policy: RetentionPolicy, reason = 'rotation log'): RetentionPolicy {
  const add = [
    { id: 'rotation-log', match: ROTATION_LOG_PATH, reason },
    { id: 'rotation-log-previous', match: ROTATION_LOG_PREVIOUS_PATH, reason: `${reason} (previous generation)` },
  ].filter((r) => !policy.protect.some((p) => p.match === r.match));
  return add.length === 0 ? policy : { ...policy, protect: [...policy.protect, ...add] };
}

export interface RetentionPreset {
  id: 'local-dev' | 'ci-pr' | 'ci-main' | 'production';
  name: string;
  description: string;
  keepLatest: number;
  ttlDays: number;
  maxSizeMb: number;
}

/** The four environments of the mm-bot guide's "Retention Recommendations" table. */
export const PRESETS: readonly RetentionPreset[] = [
  { id: 'local-dev', name: 'Local Dev', description: 'Fast iteration, limited disk', keepLatest: 50, ttlDays: 3, maxSizeMb: 500 },
  { id: 'ci-pr', name: 'CI PR', description: 'Disposable, PR-scoped', keepLatest: 20, ttlDays: 1, maxSizeMb: 200 },
  { id: 'ci-main', name: 'CI Main', description: 'Keep history for regression', keepLatest: 100, ttlDays: 7, maxSizeMb: 900 },
  { id: 'production', name: 'Production', description: 'Audit trail, compliance', keepLatest: 200, ttlDays: 30, maxSizeMb: 2000 },
];

/**
 * The policy the mm-bot artifact manager applies for `--keep-latest N --ttl-days D --max-size-mb M`:
 * 1. `**\/ITER_SUMMARY_*.json`: keep the newest N (older ones beyond N are deleted);
 * 2. `snapshots/**`: compress once older than D days; the archive is deleted once older than 2·D
 *    days (so compressed snapshots are subject to a TTL too, and a fresh archive is not deleted on
 *    the next run);
 * 3. `**\/*.log`: delete after D days; 4. `**` (everything else): delete after D days.
 * The rotation log is protected; the cap is M MB and only warns (mm-bot: "Warn if total size exceeds").
 */
export function mmBotPolicy(opts: { keepLatest: number; ttlDays: number; maxSizeMb: number }): RetentionPolicy {
  const ttlMs = Math.round(opts.ttlDays * DAY_MS);
  return {
    rules: [
      { id: 'iter-summary', match: '**/ITER_SUMMARY_*.json', keepLatest: opts.keepLatest },
      { id: 'snapshots', match: 'snapshots/**', compressAfterMs: ttlMs, ttlMs: 2 * ttlMs },
      { id: 'logs', match: '**/*.log', ttlMs },
      { id: 'catch-all', match: '**', ttlMs },
    ],
    protect: [{ id: 'rotation-log', match: ROTATION_LOG_PATH, reason: 'rotation log' }],
    maxSizeBytes: Math.round(opts.maxSizeMb * MB),
    sizeCapAction: 'warn',
  };
}

/** Policy of a preset by id ("local-dev", "ci-pr", "ci-main", "production"); throws on an unknown id, listing the known ones. */
export function presetPolicy(id: string): RetentionPolicy {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`unknown retention preset "${id}" (known: ${PRESETS.map((p) => p.id).join(', ')})`);
  return mmBotPolicy(preset);
}

export interface RetentionFlags {
  /** mm-bot artifact_manager `--ttl-days` (default 7). */
  ttlDays?: number | string;
  /** mm-bot `--max-size-mb` (default 900). */
  maxSizeMb?: number | string;
  /** mm-bot `--keep-latest` (default 100). */
  keepLatest?: number | string;
  /** rotate_artifacts `--days`. */
  days?: number | string;
  /** rotate_artifacts `--max-size`, e.g. "2G" or bytes. */
  maxSize?: number | string;
  /** rotate_artifacts `--keep`. */
  keep?: number | string;
}

function positive(value: number | string, flag: string): number {
  const n = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UnitParseError(flag, value, `${JSON.stringify(value)} must be a number greater than 0`);
  return n;
}

function count(value: number | string, flag: string): number {
  const n = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new UnitParseError(flag, value, `${JSON.stringify(value)} must be a whole number >= 0`);
  return n;
}

/**
 * Builds the policy of one of the seeds' CLI flag families (values may be numbers or CLI strings).
 * - mm-bot artifact_manager (`ttlDays`, `maxSizeMb`, `keepLatest`): the mmBotPolicy rules; missing
 *   flags take mm-bot's defaults 7 days / 900 MB / 100; the cap only WARNS.
 * - rotate_artifacts (`days`, `maxSize` like "2G", `keep`): one catch-all rule `**` with the TTL and
 *   keep-latest count across the whole root; missing flags are not applied; over the cap it EVICTS
 *   the oldest files first until under the cap.
 * Both protect the rotation log. No flags at all gives mm-bot's defaults. Mixing the families, or a
 * bad value, throws a UnitParseError naming the flag ("--ttl-days", "--max-size"...).
 */
export function policyFromFlags(flags: RetentionFlags): RetentionPolicy {
  const mm = flags.ttlDays !== undefined || flags.maxSizeMb !== undefined || flags.keepLatest !== undefined;
  const rot = flags.days !== undefined || flags.maxSize !== undefined || flags.keep !== undefined;
  if (mm && rot) {
    throw new UnitParseError('flags', flags, 'mixes mm-bot flags (--ttl-days, --max-size-mb, --keep-latest) with rotate_artifacts flags (--days, --max-size, --keep); use one family');
  }
  if (!rot) {
    return mmBotPolicy({
      ttlDays: flags.ttlDays === undefined ? 7 : positive(flags.ttlDays, '--ttl-days'),
      maxSizeMb: flags.maxSizeMb === undefined ? 900 : positive(flags.maxSizeMb, '--max-size-mb'),
      keepLatest: flags.keepLatest === undefined ? 100 : count(flags.keepLatest, '--keep-latest'),
    });
  }
  const rule: RetentionRule = { id: 'catch-all', match: '**' };
  if (flags.days !== undefined) rule.ttlMs = Math.round(positive(flags.days, '--days') * DAY_MS);
  if (flags.keep !== undefined) rule.keepLatest = count(flags.keep, '--keep');
  const policy: RetentionPolicy = {
    rules: rule.ttlMs === undefined && rule.keepLatest === undefined ? [] : [rule],
    protect: [{ id: 'rotation-log', match: ROTATION_LOG_PATH, reason: 'rotation log' }],
    sizeCapAction: 'evict-oldest',
  };
  if (flags.maxSize !== undefined) {
    const bytes = parseSize(flags.maxSize, '--max-size');
    if (bytes <= 0) throw new UnitParseError('--max-size', flags.maxSize, `${JSON.stringify(flags.maxSize)} must be larger than 0`);
    policy.maxSizeBytes = bytes;
  }
  return policy;
}

const DATA_TYPE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Imports donna's retention.json (`{ "<data_type>": <seconds>, ... }`, each data type a
 * subdirectory of the root) as a policy: one rule per data type, id = the data type, match
 * "<data_type>/**", ttl = the seconds; rules sorted by name; no cap, nothing protected.
 * Errors (path = the key) for a non-object, an empty object, values that are not whole numbers of
 * seconds > 0, and names that are empty, contain "/", "\\", "..", glob characters or whitespace.
 */
export function importDonnaRetention(json: unknown): ParsePolicyResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, errors: [{ path: 'retention.json', message: `must be an object of "<data_type>": <seconds>, got ${Array.isArray(json) ? 'an array' : JSON.stringify(json) ?? String(json)}` }] };
  }
  const errors: PolicyError[] = [];
  const names = Object.keys(json).sort();
  if (names.length === 0) errors.push({ path: 'retention.json', message: 'has no data types' });
  for (const name of names) {
    const value: unknown = (json as Record<string, unknown>)[name];
    if (name.includes('/') || name.includes('\\') || name.includes('..') || !DATA_TYPE_NAME.test(name)) {
      errors.push({ path: name, message: `${JSON.stringify(name)} is not a plain directory name (letters, digits, ".", "_", "-"; no "/" or "..")` });
    } else if (name === 'size-cap') {
      errors.push({ path: name, message: '"size-cap" is reserved; rename the data type' });
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      errors.push({ path: name, message: `retention must be a whole number of seconds > 0, got ${JSON.stringify(value) ?? String(value)}` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return parsePolicy({
    rules: names.map((name) => ({ id: name, match: `${name}/**`, ttl: (json as Record<string, number>)[name] })),
  });
}
