/**
 * One linear pass over JSON (or JSON5) text that bounds what parsing it may allocate, before a
 * parser builds anything: nesting depth, the number of objects and arrays (32 MB of `{},` is 10 M
 * objects, ~600 MB of heap), the number of values, and keys per object (a million keys make every
 * `Object.entries` over the object take seconds in V8's dictionary mode). It knows JSON5's strings
 * ('…' too) and comments, so it sees the structure either parser would. It does not validate the
 * syntax (the parser does that next): an unterminated string or comment simply ends the scan.
 * Used for perf files (lib/engine/perf/formats/json.ts) and large API bodies (lib/auth/route.ts).
 */

export interface JsonLimits {
  depth: number;
  containers: number;
  values: number;
  keys: number;
}

export interface JsonLimitProblem {
  line: number;
  column: number;
  message: string;
}

/** The first place where `text` goes past `limits`, or null. */
export function findJsonLimitProblem(text: string, limits: JsonLimits): JsonLimitProblem | null {
  let depth = 0;
  let containers = 0;
  let values = 1;
  let line = 1;
  let lineStart = 0;
  // Per open container (depth ≤ limits.depth): is it an object, and how many commas so far.
  const isObject: boolean[] = [];
  const commas: number[] = [];
  const at = (i: number, message: string): JsonLimitProblem => ({ line, column: i - lineStart + 1, message });
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
      if (++depth > limits.depth) return at(i, `is nested more than ${limits.depth} levels deep`);
      if (++containers > limits.containers) return at(i, `holds more than ${limits.containers} JSON objects and arrays`);
      isObject[depth] = c === 0x7b;
      commas[depth] = 0;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    } else if (c === 0x2c) {
      if (++values > limits.values) return at(i, `holds more than ${limits.values} JSON values`);
      if (depth > 0 && isObject[depth] && ++commas[depth]! >= limits.keys) return at(i, `is an object with more than ${limits.keys} keys`);
    }
  }
  return null;
}
