/**
 * The policy editor's working copy: every field is the string in its input, so a half-typed
 * value ("7", "7x") stays on screen while parsePolicy (pure, run on every keystroke) reports it.
 */
import { parsePolicy, type PolicyDocument, type PolicyError } from '@/lib/engine/retention';

export interface RuleDraft { key: number; id: string; match: string; ttl: string; keepLatest: string; compressAfter: string }
export interface ProtectDraft { key: number; id: string; match: string; reason: string }
export interface PolicyDraft { rules: RuleDraft[]; protect: ProtectDraft[]; maxSize: string; sizeCapAction: 'warn' | 'evict-oldest' }

let lastKey = 0;
/** A React key for a new row; never reused, so removing a row never moves another's state. */
export const newKey = () => ++lastKey;

export const emptyRule = (): RuleDraft => ({ key: newKey(), id: '', match: '', ttl: '', keepLatest: '', compressAfter: '' });
export const emptyProtect = (): ProtectDraft => ({ key: newKey(), id: '', match: '', reason: '' });

export function draftFromDoc(doc: PolicyDocument): PolicyDraft {
  return {
    rules: (doc.rules ?? []).map((r) => ({ key: newKey(), id: r.id ?? '', match: r.match ?? '', ttl: r.ttl ?? '', keepLatest: r.keepLatest === undefined ? '' : String(r.keepLatest), compressAfter: r.compressAfter ?? '' })),
    protect: (doc.protect ?? []).map((p) => ({ key: newKey(), id: p.id ?? '', match: p.match ?? '', reason: p.reason ?? '' })),
    maxSize: doc.maxSize ?? '',
    sizeCapAction: doc.sizeCapAction === 'evict-oldest' ? 'evict-oldest' : 'warn',
  };
}

/** A whole number typed as digits becomes a number; anything else goes through as typed, for parsePolicy to name. */
function count(text: string): number | string {
  const t = text.trim();
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

/** The JSON the server receives: empty inputs are left out (no TTL, no cap, generated id). */
export function inputFromDraft(d: PolicyDraft): Record<string, unknown> {
  const pick = (fields: Record<string, string>, conv: Partial<Record<string, (s: string) => unknown>> = {}) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) if (k === 'match' || v.trim() !== '') o[k] = (conv[k] ?? ((s: string) => s))(k === 'match' ? v : v.trim());
    return o;
  };
  const out: Record<string, unknown> = {
    rules: d.rules.map((r) => pick({ id: r.id, match: r.match, ttl: r.ttl, keepLatest: r.keepLatest, compressAfter: r.compressAfter }, { keepLatest: count })),
    protect: d.protect.map((p) => pick({ id: p.id, match: p.match, reason: p.reason })),
    sizeCapAction: d.sizeCapAction,
  };
  if (d.maxSize.trim() !== '') out.maxSize = d.maxSize.trim();
  return out;
}

export type ErrorMap = Partial<Record<string, string>>;

/** Errors keyed by path ("rules[2].ttl"); several at one path are joined. */
export function errorMap(errors: readonly PolicyError[]): ErrorMap {
  const out: ErrorMap = {};
  for (const e of errors) out[e.path] = out[e.path] ? `${out[e.path]}; ${e.message}` : e.message;
  return out;
}

export function validateDraft(d: PolicyDraft): { input: Record<string, unknown>; errors: PolicyError[] } {
  const input = inputFromDraft(d);
  const parsed = parsePolicy(input);
  return { input, errors: parsed.ok ? [] : parsed.errors };
}

/** Paths the editor shows next to a field; any other error is listed above the Save button. */
export function fieldPaths(d: PolicyDraft): Set<string> {
  const paths = new Set(['maxSize', 'sizeCapAction']);
  d.rules.forEach((_, i) => ['', '.id', '.match', '.ttl', '.keepLatest', '.compressAfter'].forEach((f) => paths.add(`rules[${i}]${f}`)));
  d.protect.forEach((_, i) => ['', '.id', '.match', '.reason'].forEach((f) => paths.add(`protect[${i}]${f}`)));
  return paths;
}
