/**
 * Reading a perf file as JSON. Strict JSON first; if that fails, JSON5 (json5 2.2.3, past the
 * 2.2.2 prototype-pollution fix), because Google Benchmark writes bare `NaN` and `Infinity` for
 * failed or empty aggregates and that is not JSON. Either way the error names line and column.
 *
 * Before either parser builds anything, one linear pass over the text (`checkJsonLimits`, see
 * lib/engine/json-limits.ts) bounds what parsing may allocate: nesting depth (a hostile `[[[[…`
 * would otherwise reach every recursive step after parsing), objects and arrays, values, keys.
 */
import JSON5 from 'json5';
import { findJsonLimitProblem, type JsonLimits } from '../../json-limits';
import { PerfParseError } from '../errors';

/** Bytes of one perf file. 1,000 metrics × 100 samples is about 2 MB; leave a margin. */
export const MAX_PERF_FILE_BYTES = 32 * 1024 * 1024;

export const JSON_LIMITS = {
  /** Real files nest 4–6 levels (pytest-benchmark's machine_info, data.js entries). */
  depth: 64,
  /** Objects and arrays: a data.js history of 2,000 runs × 50 benchmarks is ~110,000. */
  containers: 1_000_000,
  /** Values of any kind: the per-file sample limit (2,000,000) and room for the rest. */
  values: 4_000_000,
  /** Keys of one object: no format needs more than the 5,000-metric limit. */
  keys: 50_000,
} as const satisfies JsonLimits;

/**
 * Throws a `PerfParseError` at the line and column where `text` (JSON or JSON5) first nests deeper
 * than `JSON_LIMITS.depth` or holds more containers, values or keys than allowed (lib/engine/json-limits.ts).
 */
export function checkJsonLimits(file: string, text: string, limits: JsonLimits = JSON_LIMITS): void {
  const problem = findJsonLimitProblem(text, limits);
  if (problem) throw new PerfParseError(file, `line ${problem.line}, column ${problem.column}`, null, problem.message);
}

export function readJson(file: string, text: string): unknown {
  if (text.length > MAX_PERF_FILE_BYTES) throw new PerfParseError(file, '', text.length, `is larger than ${MAX_PERF_FILE_BYTES} bytes`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  checkJsonLimits(file, body);
  try {
    return JSON.parse(body);
  } catch (strictError) {
    try {
      return JSON5.parse(body);
    } catch (e) {
      const err = e as { lineNumber?: number; columnNumber?: number };
      const where = err.lineNumber ? `line ${err.lineNumber}, column ${err.columnNumber ?? 0}` : '';
      throw new PerfParseError(file, where, null, `is not valid JSON (${(strictError as Error).message})`);
    }
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A short rendering of a value for an error message (`{"name":5,"unit":"ms",…}`), bounded in depth
 * and length: never `JSON.stringify` of the whole value (a deep one overflows the stack, a wide
 * one costs its whole size for 80 characters).
 */
export function preview(value: unknown): string {
  if (value === undefined) return 'missing';
  const out = render(value, 0);
  return out.length > 80 ? `${out.slice(0, 79)}…` : out;
}

function render(v: unknown, depth: number): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v !== 'object' || v === null) return String(v);
  const array = Array.isArray(v);
  if (depth >= 2) return array ? '[…]' : '{…}';
  const parts: string[] = [];
  let length = 0;
  const add = (s: string): boolean => {
    if (length > 80) return false;
    parts.push(s);
    length += s.length + 1;
    return true;
  };
  let more = false;
  if (array) {
    for (const item of v as unknown[]) if (!add(render(item, depth + 1))) { more = true; break; }
  } else {
    // for…in stops early; Object.entries would copy every key of a wide object first.
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      if (!add(`${JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k)}:${render((v as Record<string, unknown>)[k], depth + 1)}`)) { more = true; break; }
    }
  }
  const body = parts.join(',') + (more ? ',…' : '');
  return array ? `[${body}]` : `{${body}}`;
}
