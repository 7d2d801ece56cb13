/**
 * Perf file formats: detection and parsing. `parsePerfFile(file, text, { format })` returns the
 * metrics in canonical units or throws `PerfParseError` naming file, field and value; nothing is
 * half-parsed. Detection looks at the shape only (never the file name), in an order where no
 * shape is a subset of an earlier one.
 */
import { PerfParseError } from '../errors';
import { type Direction, PERF_FORMATS, type ParsedPerfFile, type PerfFormat } from '../types';
import { isBmf, parseBmf } from './bmf';
import { isGabCustom, parseGabCustom } from './gab-custom';
import { isGoBench, parseGoBench } from './go-bench';
import { isGoogleBenchmark, parseGoogleBenchmark } from './google-benchmark';
import { isHyperfine, parseHyperfine } from './hyperfine';
import { readJson, type Json5Budget } from './json';
import { isK6, parseK6 } from './k6';
import { cleanName } from './metric';
import { isPytestBenchmark, parsePytestBenchmark } from './pytest-benchmark';
import { isSeed, parseSeed } from './seed';
import { isSteward, parseSteward } from './steward';

export { MAX_JSON5_BYTES, MAX_PERF_FILE_BYTES, type Json5Budget } from './json';
export { PERF_LIMITS } from './metric';
export type { ToolThreshold } from './k6';
export { parseGabDataJs, type HistoryRun } from './gab-datajs';

export interface ParseOptions {
  format?: PerfFormat | 'auto';
  /** For formats that do not say which way is better (github-action-benchmark custom JSON). */
  direction?: Direction;
  /** Shared by the files of one run: JSON5 reads at most 4 MB in all (formats/json.ts). */
  json5Budget?: Json5Budget;
}

const JSON_DETECTORS: [PerfFormat, (d: unknown) => boolean][] = [
  ['steward', isSteward],
  ['google-benchmark', isGoogleBenchmark],
  ['pytest-benchmark', isPytestBenchmark],
  ['hyperfine', isHyperfine],
  ['k6', isK6],
  ['gab-custom', isGabCustom],
  ['seed', isSeed],
  ['bmf', isBmf],
];

export function detectFormat(text: string, data?: unknown): PerfFormat | null {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (!head.startsWith('{') && !head.startsWith('[')) return isGoBench(text) ? 'go-bench' : null;
  for (const [format, test] of JSON_DETECTORS) if (test(data)) return format;
  return null;
}

export function parsePerfFile(file: string, text: string, opts: ParseOptions = {}): ParsedPerfFile {
  const parsed = parseAny(file, text, opts);
  return { ...parsed, testbed: cleanTestbed(file, parsed.testbed, parsed.warnings) };
}

function parseAny(file: string, text: string, opts: ParseOptions): ParsedPerfFile {
  const requested = opts.format ?? 'auto';
  if (requested !== 'auto' && !PERF_FORMATS.includes(requested)) throw new PerfParseError(file, 'format', requested, `is not a known format (${PERF_FORMATS.join(', ')})`);
  if (requested === 'go-bench') return parseGoBench(file, text);
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (requested === 'auto' && !head.startsWith('{') && !head.startsWith('[')) {
    if (isGoBench(text)) return parseGoBench(file, text);
    throw new PerfParseError(file, '', null, `is neither JSON nor go test -bench output (formats: ${PERF_FORMATS.join(', ')})`);
  }
  const data = readJson(file, text, opts.json5Budget);
  const format = requested === 'auto' ? detectFormat(text, data) : requested;
  if (!format) throw new PerfParseError(file, '', null, `is JSON of an unknown shape; name its format with --format (${PERF_FORMATS.join(', ')})`);
  const parsed = parseAs(file, format, data, opts);
  if (!parsed.metrics.length) throw new PerfParseError(file, '', null, `holds no metrics (read as ${format})`);
  return parsed;
}

export const MAX_TESTBED_ATTRIBUTES = 20;
const TESTBED_KEY = /^[a-z][a-z0-9_-]{0,39}$/;

/**
 * A file's testbed attributes (steward's `testbed`, pytest's machine_info, go's `cpu:` line) held to
 * the rules the request's own attributes follow (lib/services/perf/run-input.ts): keys are lowercase
 * words (`CPU Model` → `cpu-model`; `__proto__` is dropped, with a warning), values one printable
 * line of at most 200 characters (a NUL cannot be stored), at most 20 of them.
 */
export function cleanTestbed(file: string, raw: Record<string, string>, warnings: string[]): Record<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(raw)) {
    const key = cleanName(k).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
    const value = cleanName(v).slice(0, 200);
    if (!TESTBED_KEY.test(key)) {
      if (warnings.length < 100) warnings.push(`testbed attribute ${JSON.stringify(k.slice(0, 40))} dropped (keys are lowercase words: cpu, cores, os, runner)`);
      continue;
    }
    if (value) out.set(key, value);
    if (out.size > MAX_TESTBED_ATTRIBUTES) throw new PerfParseError(file, 'testbed', Object.keys(raw).length, `has more than ${MAX_TESTBED_ATTRIBUTES} attributes`);
  }
  return Object.fromEntries(out);
}

function parseAs(file: string, format: PerfFormat, data: unknown, opts: ParseOptions): ParsedPerfFile {
  switch (format) {
    case 'steward': return parseSteward(file, data);
    case 'seed': return parseSeed(file, data);
    case 'bmf': return parseBmf(file, data);
    case 'pytest-benchmark': return parsePytestBenchmark(file, data);
    case 'google-benchmark': return parseGoogleBenchmark(file, data);
    case 'hyperfine': return parseHyperfine(file, data);
    case 'k6': return parseK6(file, data);
    case 'gab-custom': return parseGabCustom(file, data, opts.direction);
    case 'go-bench': throw new PerfParseError(file, '', null, 'go-bench is text, not JSON');
  }
}
