/**
 * `steward report junit --dry-run`: parses JUnit/TRX files locally, streaming each from disk
 * (gzip read transparently, by magic bytes), and sums them up in the documented JSON shape
 * (README "Flaky tests: checking JUnit files"). Sends nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import picomatch from 'picomatch';
import { countReport, zeroCounts, type OutcomeCounts } from '@/lib/engine/flaky/counts';
import { createJunitParser, JunitParseError } from '@/lib/engine/flaky/junit';

export type { OutcomeCounts };
import type { ParseFailure, ParsedReport, ParseWarning } from '@/lib/engine/flaky/types';

export interface FileSummary extends OutcomeCounts {
  file: string;
  format: 'junit' | 'trx' | null;
  producer: string | null;
  warnings: ParseWarning[];
  error: ParseFailure | null;
}

export interface CheckResult {
  totals: OutcomeCounts;
  files: FileSummary[];
}

const zero = zeroCounts;

/** Reads a file's bytes as a stream, gunzipping when it starts with the gzip magic (1f 8b). */
async function* fileChunks(file: string): AsyncGenerator<Uint8Array> {
  const head = Buffer.alloc(2);
  const fh = await fs.promises.open(file, 'r');
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  const src = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  let stream: NodeJS.ReadableStream = src;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = zlib.createGunzip();
    src.on('error', (e) => gunzip.destroy(e));
    stream = src.pipe(gunzip);
  }
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    src.destroy();
  }
}

function readError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file';
  if (err.code === 'EACCES') return 'permission denied';
  if (err.code === 'EISDIR') return 'is a directory';
  if (err.code?.startsWith('Z_')) return `not a valid gzip file (${err.message})`;
  return err.message ?? String(e);
}

function summarise(file: string, report: ParsedReport): FileSummary {
  return { file, format: report.format, producer: report.producer, ...countReport(report), warnings: report.warnings, error: null };
}

/**
 * Expands the arguments: a path is taken as is; an argument with glob characters is matched
 * (picomatch) under its literal base directory. A glob that matches nothing is reported as a file
 * error, so a CI step with a wrong pattern fails instead of passing on zero files.
 */
export async function expandArgs(args: readonly string[]): Promise<{ files: string[]; unmatched: string[] }> {
  const files: string[] = [];
  const unmatched: string[] = [];
  for (const arg of args) {
    const scan = picomatch.scan(arg);
    if (!scan.isGlob) {
      files.push(arg);
      continue;
    }
    const base = scan.base || '.';
    const isMatch = picomatch(scan.base ? arg : arg.replace(/^\.\//, ''), { dot: false });
    // A base directory that does not exist matches nothing (reported below), like a shell glob.
    const entries = await fs.promises
      .readdir(base, { recursive: true, withFileTypes: true })
      .then((list) => list.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)))
      .catch(() => [] as string[]);
    const hits = entries.map((p) => (scan.base ? p : path.relative('.', p))).filter((p) => isMatch(p.split(path.sep).join('/'))).sort();
    if (hits.length === 0) unmatched.push(arg);
    files.push(...hits);
  }
  return { files: [...new Set(files)], unmatched };
}

/** Checks every file (one at a time, to keep memory to one file's results) and sums them up. */
export async function checkJunitFiles(args: readonly string[], root: string | null = null): Promise<CheckResult> {
  const { files, unmatched } = await expandArgs(args);
  const summaries: FileSummary[] = [];
  const keys = new Set<string>();
  const totals = zero();
  for (const file of files) {
    const summary = await checkFile(file, keys, root);
    summaries.push(summary);
    for (const k of ['passed', 'failed', 'errors', 'skipped', 'flaky', 'attempts'] as const) totals[k] += summary[k];
  }
  for (const pattern of unmatched) summaries.push({ file: pattern, format: null, producer: null, ...zero(), warnings: [], error: { file: pattern, line: null, column: null, message: 'no file matches this pattern' } });
  totals.tests = keys.size;
  return { totals, files: summaries };
}

/** Parses one file, adding its identity keys to `keys`; a read error or a rejected file becomes `error`. */
export async function checkFile(file: string, keys = new Set<string>(), root: string | null = null): Promise<FileSummary> {
  const parser = createJunitParser({ file, root });
  try {
    for await (const chunk of fileChunks(file)) parser.write(chunk);
    const report = parser.end();
    for (const c of report.cases) keys.add(c.identity.key);
    return summarise(file, report);
  } catch (e) {
    const failure: ParseFailure = e instanceof JunitParseError ? e.failure : { file, line: null, column: null, message: readError(e) };
    return { file, format: null, producer: null, ...zero(), warnings: [], error: failure };
  }
}
