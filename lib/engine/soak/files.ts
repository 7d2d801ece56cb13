/**
 * One soak input file, whatever it is: resource samples (JSON lines, CSV, a JSON array), the
 * seed's `resources.analysis.json` summary, or a security-audit report (npm / pip-audit / cargo).
 * Chosen by the extension, then by content: `.csv` is CSV, `.jsonl`/`.ndjson` JSON lines, and a
 * `.json` (or unnamed) file is read as one JSON value and recognised by its shape.
 */
import { auditFormatOf, parseAudit } from './audit';
import { isAnalysisShape, parseAnalysisJson } from './analysis-file';
import { SoakParseError } from './errors';
import { parseSamplesCsv, parseSamplesJson, parseSamplesJsonl } from './samples';
import type { ParsedSoakFile } from './types';

export const MAX_SOAK_FILE_CHARS = 32 * 1024 * 1024;

function parseJsonValue(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // A depth bomb overflows the parser's stack: a rejected file, not a crash.
    throw new SoakParseError(file, '', e instanceof RangeError ? 'nested too deeply' : `not JSON: ${(e as Error).message}`);
  }
}

export function parseSoakFile(file: string, text: string): ParsedSoakFile {
  if (text.length > MAX_SOAK_FILE_CHARS) throw new SoakParseError(file, '', `larger than ${MAX_SOAK_FILE_CHARS} characters`);
  const body = text.replace(/^\uFEFF/, '');
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return { kind: 'samples', file, format: 'csv', ...parseSamplesCsv(file, body) };
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return { kind: 'samples', file, format: 'jsonl', ...parseSamplesJsonl(file, body) };
  const first = body.trimStart()[0];
  if (first !== '{' && first !== '[') {
    if (lower.endsWith('.json')) throw new SoakParseError(file, '', 'not JSON: expected an object or an array');
    return { kind: 'samples', file, format: 'csv', ...parseSamplesCsv(file, body) };
  }
  // Several objects one per line, in a file not named .jsonl: JSON lines.
  if (first === '{' && !lower.endsWith('.json')) {
    const nl = body.trim().indexOf('\n');
    if (nl > 0 && body.trim().slice(0, nl).trim().endsWith('}') && body.trim().slice(nl).trimStart().startsWith('{')) return { kind: 'samples', file, format: 'jsonl', ...parseSamplesJsonl(file, body) };
  }
  const value = parseJsonValue(file, body);
  if (isAnalysisShape(value)) return { kind: 'summary', file, format: 'analysis-json', summary: parseAnalysisJson(file, value), warnings: [] };
  const audit = auditFormatOf(value);
  if (audit) return { kind: 'audit', file, format: audit, audit: parseAudit(file, value, audit), warnings: [] };
  if (Array.isArray(value) || (value && typeof value === 'object' && Array.isArray((value as { samples?: unknown }).samples))) {
    return { kind: 'samples', file, format: 'json', ...parseSamplesJson(file, value) };
  }
  throw new SoakParseError(file, '', 'not a soak file Steward knows: expected resource samples (JSON lines, CSV, an array), resources.analysis.json, or an npm / pip-audit / cargo audit JSON report');
}
