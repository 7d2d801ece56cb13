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
import { readJson } from './json';
import { isK6, parseK6 } from './k6';
import { isPytestBenchmark, parsePytestBenchmark } from './pytest-benchmark';
import { isSeed, parseSeed } from './seed';
import { isSteward, parseSteward } from './steward';

export { MAX_PERF_FILE_BYTES } from './json';
export { PERF_LIMITS } from './metric';
export type { ToolThreshold } from './k6';
export { parseGabDataJs, type HistoryRun } from './gab-datajs';

export interface ParseOptions {
  format?: PerfFormat | 'auto';
  /** For formats that do not say which way is better (github-action-benchmark custom JSON). */
  direction?: Direction;
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
  const requested = opts.format ?? 'auto';
  if (requested !== 'auto' && !PERF_FORMATS.includes(requested)) throw new PerfParseError(file, 'format', requested, `is not a known format (${PERF_FORMATS.join(', ')})`);
  if (requested === 'go-bench') return parseGoBench(file, text);
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (requested === 'auto' && !head.startsWith('{') && !head.startsWith('[')) {
    if (isGoBench(text)) return parseGoBench(file, text);
    throw new PerfParseError(file, '', null, `is neither JSON nor go test -bench output (formats: ${PERF_FORMATS.join(', ')})`);
  }
  const data = readJson(file, text);
  const format = requested === 'auto' ? detectFormat(text, data) : requested;
  if (!format) throw new PerfParseError(file, '', null, `is JSON of an unknown shape; name its format with --format (${PERF_FORMATS.join(', ')})`);
  const parsed = parseAs(file, format, data, opts);
  if (!parsed.metrics.length) throw new PerfParseError(file, '', null, `holds no metrics (read as ${format})`);
  return parsed;
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
