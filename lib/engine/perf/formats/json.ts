/**
 * Reading a perf file as JSON. Strict JSON first; if that fails, JSON5 (json5 2.2.3, past the
 * 2.2.2 prototype-pollution fix), because Google Benchmark writes bare `NaN` and `Infinity` for
 * failed or empty aggregates and that is not JSON. Either way the error names line and column.
 */
import JSON5 from 'json5';
import { PerfParseError } from '../errors';

/** Bytes of one perf file. 1,000 metrics × 100 samples is about 2 MB; leave a margin. */
export const MAX_PERF_FILE_BYTES = 32 * 1024 * 1024;

export function readJson(file: string, text: string): unknown {
  if (text.length > MAX_PERF_FILE_BYTES) throw new PerfParseError(file, '', text.length, `is larger than ${MAX_PERF_FILE_BYTES} bytes`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
