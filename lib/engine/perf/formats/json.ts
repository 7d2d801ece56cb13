/**
 * Reading a perf file as JSON. Strict JSON first; if that fails, strict JSON with bare `NaN` and
 * `Infinity` read as numbers (Google Benchmark writes them for failed or empty aggregates, and
 * that is not JSON), then — for files up to 4 MB — JSON5 (json5 2.2.3, past the 2.2.2
 * prototype-pollution fix) for hand-edited files. Either way the error names line and column.
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

/**
 * JSON5 reads about 1.5 MB/s and blocks the event loop meanwhile (a 30 MB file: 20 s), so it reads
 * at most this much per run (`Json5Budget`): hand-edited files with comments or trailing commas are small. The
 * bare NaN / Infinity that Google Benchmark writes are read at JSON.parse speed at any size.
 */
export const MAX_JSON5_BYTES = 4 * 1024 * 1024;

/** What JSON5 may still read: one per run (lib/services/perf/parse-files.ts), so 50 files of 4 MB are not 50 × 2.7 s. */
export interface Json5Budget {
  bytes: number;
}

export function readJson(file: string, text: string, json5Budget: Json5Budget = { bytes: MAX_JSON5_BYTES }): unknown {
  if (text.length > MAX_PERF_FILE_BYTES) throw new PerfParseError(file, '', text.length, `is larger than ${MAX_PERF_FILE_BYTES} bytes`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  checkJsonLimits(file, body);
  try {
    return JSON.parse(body);
  } catch (strictError) {
    const marked = markNonFinite(body);
    if (marked !== null) {
      try {
        return JSON.parse(marked, reviveNonFinite);
      } catch {
        /* not only NaN/Infinity: JSON5 below, or the strict error */
      }
    }
    if (body.length > Math.min(MAX_JSON5_BYTES, json5Budget.bytes)) {
      throw new PerfParseError(file, '', null, `is not valid JSON (${(strictError as Error).message}); JSON5 (comments, trailing commas, quotes) is read only up to ${MAX_JSON5_BYTES / 1024 / 1024} MB per run`);
    }
    json5Budget.bytes -= body.length;
    try {
      return JSON5.parse(body);
    } catch (e) {
      const err = e as { lineNumber?: number; columnNumber?: number };
      const where = err.lineNumber ? `line ${err.lineNumber}, column ${err.columnNumber ?? 0}` : '';
      throw new PerfParseError(file, where, null, `is not valid JSON (${(strictError as Error).message})`);
    }
  }
}

// A NUL-prefixed string: a file's own string can only hold a NUL by writing the escape \u0000.
const NON_FINITE: Record<string, number> = { '\u0000NaN': NaN, '\u0000Infinity': Infinity, '\u0000-Infinity': -Infinity };
const TOKENS = [['NaN', '"\\u0000NaN"'], ['Infinity', '"\\u0000Infinity"'], ['-Infinity', '"\\u0000-Infinity"'], ['+Infinity', '"\\u0000Infinity"']] as const;

/**
 * The text with every bare `NaN`, `Infinity`, `-Infinity` outside a string replaced by a marked
 * string (read back as the number by `reviveNonFinite`), or null if there is none. One pass.
 */
function markNonFinite(text: string): string | null {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x4e || c === 0x49 || c === 0x2d || c === 0x2b) {
      const token = TOKENS.find(([t]) => text.startsWith(t, i));
      if (!token) continue;
      parts.push(text.slice(from, i), token[1]);
      i += token[0].length - 1;
      from = i + 1;
    }
  }
  if (!parts.length) return null;
  parts.push(text.slice(from));
  return parts.join('');
}

function reviveNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.charCodeAt(0) === 0 && Object.hasOwn(NON_FINITE, value) ? NON_FINITE[value] : value;
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
