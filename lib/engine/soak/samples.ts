/**
 * Resource-sample parsers: JSON lines, CSV (csv-parse) and a JSON array. Each is bounded
 * (rows, columns, line length) and all or nothing: the first bad record rejects the file with its
 * line and column. Samples come back sorted by time.
 */
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { SoakParseError, shown } from './errors';
import { mapKeys, toSample } from './fields';
import type { SoakSample } from './types';

export const SAMPLE_LIMITS = {
  /** Samples per file: a day at one a second is 86,400. */
  maxSamples: 200_000,
  maxColumns: 64,
  /** Characters per line / record. */
  maxLineChars: 8_192,
} as const;

type Parsed = { samples: SoakSample[]; warnings: string[] };

function finish(file: string, samples: SoakSample[], unknown: Set<string>): Parsed {
  const warnings: string[] = [];
  if (unknown.size) warnings.push(`ignored unknown field(s): ${[...unknown].slice(0, 10).map((k) => shown(k)).join(', ')}${unknown.size > 10 ? ` and ${unknown.size - 10} more` : ''}`);
  let sorted = true;
  for (let i = 1; i < samples.length; i++) if (samples[i]!.t < samples[i - 1]!.t) { sorted = false; break; }
  if (!sorted) {
    samples.sort((a, b) => a.t - b.t);
    warnings.push('samples were not in time order; sorted');
  }
  if (!samples.length) throw new SoakParseError(file, '', 'no samples');
  return { samples, warnings };
}

/** One JSON object per line (`{"ts": "...", "rss_mb": 151.2, "cpu_pct": 12}`); blank lines are skipped. */
export function parseSamplesJsonl(file: string, text: string): Parsed {
  const samples: SoakSample[] = [];
  const unknown = new Set<string>();
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const raw = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (!raw.trim()) { if (end >= text.length) break; continue; }
    if (raw.length > SAMPLE_LIMITS.maxLineChars) throw new SoakParseError(file, `line ${lineNo}`, `longer than ${SAMPLE_LIMITS.maxLineChars} characters`, lineNo);
    let rec: unknown;
    try {
      rec = JSON.parse(raw);
    } catch (e) {
      throw new SoakParseError(file, `line ${lineNo}`, `not JSON: ${(e as Error).message}`, lineNo);
    }
    if (!rec || typeof rec !== 'object' || Array.isArray(rec)) throw new SoakParseError(file, `line ${lineNo}`, 'must be a JSON object', lineNo);
    const obj = rec as Record<string, unknown>;
    const keyList = Object.keys(obj);
    if (keyList.length > SAMPLE_LIMITS.maxColumns) throw new SoakParseError(file, `line ${lineNo}`, `more than ${SAMPLE_LIMITS.maxColumns} fields`, lineNo);
    const keys = mapKeys(keyList);
    for (const u of keys.unknown) if (unknown.size < 50) unknown.add(u);
    const n = lineNo;
    samples.push(toSample(file, obj, keys, (k) => (k === null ? `line ${n}` : `line ${n}, field ${shown(k)}`), n));
    if (samples.length > SAMPLE_LIMITS.maxSamples) throw new SoakParseError(file, `line ${lineNo}`, `more than ${SAMPLE_LIMITS.maxSamples} samples in one file`, lineNo);
    if (end >= text.length) break;
  }
  return finish(file, samples, unknown);
}

/** CSV with a header row naming the columns (`timestamp,rss_mb,cpu_pct,open_fds`). */
export function parseSamplesCsv(file: string, text: string): Parsed {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parseCsv(text, {
      bom: true, info: true, skip_empty_lines: true, relax_column_count: false, trim: true,
      to_line: SAMPLE_LIMITS.maxSamples + 2, max_record_size: SAMPLE_LIMITS.maxLineChars,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    if (e instanceof CsvError) {
      const err = e as CsvError & { lines?: number; index?: number };
      const line = typeof err.lines === 'number' ? err.lines : null;
      const col = typeof err.index === 'number' && err.code !== 'CSV_RECORD_INCONSISTENT_COLUMNS' && err.code !== 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ? `, column ${err.index + 1}` : '';
      throw new SoakParseError(file, line === null ? '' : `line ${line}${col}`, `bad CSV: ${e.message.replace(/^Invalid [^:]*:\s*/, '').slice(0, 200)}`, line);
    }
    throw e;
  }
  if (!rows.length) throw new SoakParseError(file, '', 'empty CSV: a header row and samples are needed');
  const header = rows[0]!.record;
  if (header.length > SAMPLE_LIMITS.maxColumns) throw new SoakParseError(file, 'line 1', `more than ${SAMPLE_LIMITS.maxColumns} columns`, 1);
  const keys = mapKeys(header);
  if (keys.timeKey === null) throw new SoakParseError(file, 'line 1', `the header names no time column (one of ts, timestamp, time, t, elapsed_s)`, 1);
  if (!keys.metrics.size) throw new SoakParseError(file, 'line 1', 'the header names no known metric column (rss_mb, cpu_pct, open_fds, threads, reconnects, zombies, disk_mb…)', 1);
  if (rows.length - 1 > SAMPLE_LIMITS.maxSamples) throw new SoakParseError(file, `line ${rows[SAMPLE_LIMITS.maxSamples + 1]!.info.lines}`, `more than ${SAMPLE_LIMITS.maxSamples} samples in one file`);
  const samples: SoakSample[] = [];
  for (let i = 1; i < rows.length; i++) {
    const { record, info } = rows[i]!;
    const rec: Record<string, unknown> = {};
    header.forEach((h, j) => { rec[h] = record[j]; });
    samples.push(toSample(file, rec, keys, (k) => (k === null ? `line ${info.lines}` : `line ${info.lines}, column ${shown(k)}`), info.lines));
  }
  return finish(file, samples, new Set(keys.unknown));
}

/** A JSON array of sample objects, or `{ "samples": [...] }`. */
export function parseSamplesJson(file: string, value: unknown): Parsed {
  const list = Array.isArray(value) ? value : (value as { samples?: unknown })?.samples;
  if (!Array.isArray(list)) throw new SoakParseError(file, '', 'expected an array of samples or { "samples": [...] }');
  if (list.length > SAMPLE_LIMITS.maxSamples) throw new SoakParseError(file, '', `more than ${SAMPLE_LIMITS.maxSamples} samples in one file`);
  const unknown = new Set<string>();
  const prefix = Array.isArray(value) ? '' : 'samples';
  const samples = list.map((rec, i) => {
    const at = `${prefix}[${i}]`;
    if (!rec || typeof rec !== 'object' || Array.isArray(rec)) throw new SoakParseError(file, at, 'must be an object');
    const keyList = Object.keys(rec as object);
    if (keyList.length > SAMPLE_LIMITS.maxColumns) throw new SoakParseError(file, at, `more than ${SAMPLE_LIMITS.maxColumns} fields`);
    const keys = mapKeys(keyList);
    for (const u of keys.unknown) if (unknown.size < 50) unknown.add(u);
    return toSample(file, rec as Record<string, unknown>, keys, (k) => (k === null ? at : `${at}.${k}`), null);
  });
  return finish(file, samples, unknown);
}
