/**
 * Reading a perf file as JSON. Strict JSON first; if that fails, JSON5 (json5 2.2.3, past the
 * 2.2.2 prototype-pollution fix), because Google Benchmark writes bare `NaN` and `Infinity` for
 * failed or empty aggregates and that is not JSON. Either way the error names line and column.
 *
 * Before either parser builds anything, one linear pass over the text (`checkJsonLimits`) bounds
 * what parsing may allocate: nesting depth (a hostile `[[[[…` would otherwise reach every recursive
 * step after parsing), the number of objects and arrays (32 MB of `{},` is 10 M objects, ~600 MB
 * of heap) and the number of values. It knows JSON5's strings and comments, so it counts the same
 * structure either parser would see.
 */
import JSON5 from 'json5';
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
  /**
   * Keys of one object. No format needs more than the 5,000-metric limit; a million keys make
   * every `Object.entries` over the object take seconds (V8's dictionary-mode objects).
   */
  keys: 50_000,
} as const;

/**
 * Throws a `PerfParseError` at the line and column where `text` (JSON or JSON5) first nests deeper
 * than `JSON_LIMITS.depth` or holds more containers or values than allowed. Does not validate the
 * syntax (the parser does that next): an unterminated string or comment simply ends the scan.
 */
export function checkJsonLimits(file: string, text: string, limits: { depth: number; containers: number; values: number; keys: number } = JSON_LIMITS): void {
  let depth = 0;
  // Per open container (depth ≤ limits.depth): is it an object, and how many commas so far.
  const isObject: boolean[] = [];
  const commas: number[] = [];
  let containers = 0;
  let values = 1;
  let line = 1;
  let lineStart = 0;
  const fail = (i: number, detail: string): never => {
    throw new PerfParseError(file, `line ${line}, column ${i - lineStart + 1}`, null, detail);
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line++;
      lineStart = i + 1;
    } else if (c === 0x22 || c === 0x27) {
      // A string ("…" or JSON5's '…'): skip to its closing quote, past escapes.
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) {
          i++;
          if (text.charCodeAt(i) === 0x0a) { line++; lineStart = i + 1; }
        } else if (s === c) break;
        else if (s === 0x0a) { line++; lineStart = i + 1; }
      }
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      while (i + 1 < n && text.charCodeAt(i + 1) !== 0x0a) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      for (i += 2; i < n && !(text.charCodeAt(i) === 0x2a && text.charCodeAt(i + 1) === 0x2f); i++) {
        if (text.charCodeAt(i) === 0x0a) { line++; lineStart = i + 1; }
      }
      i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limits.depth) fail(i, `is nested more than ${limits.depth} levels deep`);
      if (++containers > limits.containers) fail(i, `holds more than ${limits.containers} JSON objects and arrays`);
      isObject[depth] = c === 0x7b;
      commas[depth] = 0;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    } else if (c === 0x2c) {
      if (++values > limits.values) fail(i, `holds more than ${limits.values} JSON values`);
      if (depth > 0 && isObject[depth] && ++commas[depth]! >= limits.keys) fail(i, `is an object with more than ${limits.keys} keys`);
    }
  }
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
