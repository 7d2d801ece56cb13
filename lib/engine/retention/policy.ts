/**
 * Retention policies as users write them (JSON from the UI editor or a config file) and their
 * conversion to the engine's RetentionPolicy (ms and bytes). Pure: zod and the unit parsers only.
 */
import { z } from 'zod';
import { compactDuration, compactSize, parseDuration, parseSize, UnitParseError } from '../units';
import { checkGlob } from './glob';
import type { ProtectRule, RetentionPolicy, RetentionRule } from './types';

/** Rule id used by plans for size-cap eviction; users cannot take it. */
export const SIZE_CAP_RULE_ID = 'size-cap';

/** One validation problem: `path` like "rules[2].ttl", `message` naming the bad value. */
export interface PolicyError {
  path: string;
  message: string;
}

export type ParsePolicyResult = { ok: true; policy: RetentionPolicy } | { ok: false; errors: PolicyError[] };

/** A duration or size field: a string ("7d", "900MB") or a number (seconds, bytes), converted with `parse`. */
function unit(parse: (v: string | number, field: string) => number, what: string) {
  return z.union([z.string(), z.number()], { error: `must be a ${what} string or a number` }).transform((v, ctx): number => {
    try {
      return parse(v, what);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof UnitParseError ? err.detail : String(err), input: v });
      return z.NEVER;
    }
  });
}
const duration = unit(parseDuration, 'duration');
const size = unit(parseSize, 'size');

const idSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit' })
  .refine((v) => v !== SIZE_CAP_RULE_ID, { error: `"${SIZE_CAP_RULE_ID}" is reserved for size-cap eviction` });

const globSchema = z.string({ error: 'must be a glob string such as "**/*.log"' }).superRefine((v, ctx) => {
  const problem = checkGlob(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, input: v });
});

const ruleSchema = z
  .strictObject({
    id: idSchema.optional(),
    match: globSchema,
    ttl: duration.optional(),
    keepLatest: z.number({ error: 'must be a whole number >= 0' }).int({ error: 'must be a whole number >= 0' }).min(0, { error: 'must be a whole number >= 0' }).optional(),
    compressAfter: duration.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.ttl === undefined && r.keepLatest === undefined && r.compressAfter === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a rule needs at least one of ttl, keepLatest or compressAfter', input: r });
    }
    if (r.ttl === 0) ctx.addIssue({ code: 'custom', path: ['ttl'], message: 'must be longer than 0 (a TTL of 0 would delete every file)', input: 0 });
    if (r.ttl !== undefined && r.compressAfter !== undefined && r.compressAfter >= r.ttl) {
      ctx.addIssue({
        code: 'custom',
        path: ['compressAfter'],
        message: `${compactDuration(r.compressAfter)} must be shorter than ttl ${compactDuration(r.ttl)}: files are deleted at the TTL, so they would never be compressed`,
        input: r.compressAfter,
      });
    }
  });

const protectSchema = z.strictObject({
  id: idSchema.optional(),
  match: globSchema,
  reason: z.string({ error: 'must be a string' }).max(200, { error: 'must be at most 200 characters' }).optional(),
});

/** The policy as users write it: durations as "7d" or seconds, sizes as "900MB" or bytes. */
export const policySchema = z.strictObject({
  rules: z.array(ruleSchema, { error: 'must be a list of rules' }),
  protect: z.array(protectSchema, { error: 'must be a list of protect rules' }).optional(),
  maxSize: size.nullable().optional(),
  sizeCapAction: z.enum(['warn', 'evict-oldest'], { error: 'must be "warn" or "evict-oldest"' }).optional(),
});

/** Input type of policySchema (what the editor or a config file holds). */
export type PolicyInput = z.input<typeof policySchema>;

/** The serialized, user-facing form produced by serializePolicy. */
export interface PolicyDocument {
  rules: { id: string; match: string; ttl?: string; keepLatest?: number; compressAfter?: string }[];
  protect: { id: string; match: string; reason?: string }[];
  maxSize?: string;
  sizeCapAction: 'warn' | 'evict-oldest';
}

/** Renders a zod path as "rules[2].ttl"; the empty path is "policy". */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? 'policy' : out;
}

function showValue(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const FIELDS: Record<string, string> = {
  policy: 'rules, protect, maxSize, sizeCapAction',
  rule: 'id, match, ttl, keepLatest, compressAfter',
  protect: 'id, match, reason',
};

function toErrors(issues: readonly z.core.$ZodIssue[]): PolicyError[] {
  const errors: PolicyError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const kind = issue.path.length === 0 ? 'policy' : issue.path[0] === 'protect' ? 'protect' : 'rule';
      for (const key of issue.keys) errors.push({ path: formatPath([...issue.path, key]), message: `unknown field (expected one of: ${FIELDS[kind]})` });
      continue;
    }
    const input = (issue as { input?: unknown }).input;
    let message = issue.message;
    if (issue.code === 'invalid_type' && input === undefined) message = `is required (${message})`;
    else if (issue.code !== 'custom' && input !== undefined && typeof input !== 'object') message = `${message}, got ${showValue(input)}`;
    errors.push({ path: formatPath(issue.path), message });
  }
  return errors;
}

/**
 * Validates and converts a user-written policy (any JSON value) into a RetentionPolicy.
 * Errors name the field path ("rules[2].ttl") and the bad value; all problems are reported at once.
 * Missing ids become "rule-1", "rule-2"... and "protect-1"... by position; ids must be unique across
 * rules and protect rules. `protect` defaults to [], `sizeCapAction` to "warn", a null maxSize means no cap.
 */
export function parsePolicy(input: unknown): ParsePolicyResult {
  const parsed = policySchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, errors: toErrors(parsed.error.issues) };
  const doc = parsed.data;
  const errors: PolicyError[] = [];
  const seen = new Map<string, string>();
  const claim = (id: string, path: string) => {
    const other = seen.get(id);
    if (other !== undefined) errors.push({ path: `${path}.id`, message: `id "${id}" is already used by ${other}` });
    else seen.set(id, path);
  };
  const rules: RetentionRule[] = doc.rules.map((r, i) => {
    const rule: RetentionRule = { id: r.id ?? `rule-${i + 1}`, match: r.match.trim() };
    claim(rule.id, `rules[${i}]`);
    if (r.ttl !== undefined) rule.ttlMs = r.ttl;
    if (r.keepLatest !== undefined) rule.keepLatest = r.keepLatest;
    if (r.compressAfter !== undefined) rule.compressAfterMs = r.compressAfter;
    return rule;
  });
  const protect: ProtectRule[] = (doc.protect ?? []).map((p, i) => {
    const rule: ProtectRule = { id: p.id ?? `protect-${i + 1}`, match: p.match.trim() };
    claim(rule.id, `protect[${i}]`);
    if (p.reason !== undefined && p.reason.trim() !== '') rule.reason = p.reason.trim();
    return rule;
  });
  if (doc.maxSize === 0) errors.push({ path: 'maxSize', message: 'must be larger than 0 (omit maxSize for no cap)' });
  if (errors.length > 0) return { ok: false, errors };
  const policy: RetentionPolicy = { rules, protect, sizeCapAction: doc.sizeCapAction ?? 'warn' };
  if (doc.maxSize !== undefined && doc.maxSize !== null) policy.maxSizeBytes = doc.maxSize;
  return { ok: true, policy };
}

/**
 * Converts a RetentionPolicy back to the user-facing form for the editor: durations as compact
 * strings ("7d", "36h"), sizes as "900MB"/"2GB", ids always present. parsePolicy(serializePolicy(p))
 * gives back p.
 */
export function serializePolicy(policy: RetentionPolicy): PolicyDocument {
  const doc: PolicyDocument = {
    rules: policy.rules.map((r) => {
      const out: PolicyDocument['rules'][number] = { id: r.id, match: r.match };
      if (r.ttlMs !== undefined) out.ttl = compactDuration(r.ttlMs);
      if (r.keepLatest !== undefined) out.keepLatest = r.keepLatest;
      if (r.compressAfterMs !== undefined) out.compressAfter = compactDuration(r.compressAfterMs);
      return out;
    }),
    protect: policy.protect.map((p) => (p.reason === undefined ? { id: p.id, match: p.match } : { id: p.id, match: p.match, reason: p.reason })),
    sizeCapAction: policy.sizeCapAction,
  };
  if (policy.maxSizeBytes !== undefined) doc.maxSize = compactSize(policy.maxSizeBytes);
  return doc;
}

/** Joins policy errors into one line per problem ("rules[2].ttl: ..."), for CLI output and logs. */
export function formatPolicyErrors(errors: readonly PolicyError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('\n');
}
