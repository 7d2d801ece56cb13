/** Parses results files from disk for `quarantine check` and `steward test` (streamed, gzip ok). */
import fs from 'node:fs';
import path from 'node:path';
import { checkoutRootFromEnv } from '@/lib/engine/flaky/ci-env';
import type { ParsedReport, ParseFailure } from '@/lib/engine/flaky/types';
import { readUpload } from '@/lib/services/flaky/read-upload';

export type ReadFile = { file: string; ok: true; report: ParsedReport } | { file: string; ok: false; error: ParseFailure };

/**
 * The checkout root the CLI applies to test file paths: `--root` (a relative one resolved against
 * the working directory, as a shell user means it), else the CI's workspace, else the working directory.
 */
export const cliCheckoutRoot = (flag: string | undefined): string => (flag ? path.resolve(flag) : (checkoutRootFromEnv(process.env) ?? process.cwd()));

/** `root`: absolute test file paths under it are made relative, as the server does for an upload naming it. */
export async function readResultsFile(file: string, root: string | null = null): Promise<ReadFile> {
  try {
    const r = await readUpload(file, fs.createReadStream(file, { highWaterMark: 1 << 20 }), { keepRaw: false, root });
    return r.ok ? { file, ok: true, report: r.report } : { file, ok: false, error: r.error };
  } catch (e) {
    return { file, ok: false, error: { file, line: null, column: null, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message } };
  }
}

export const failureText = (e: ParseFailure) => `${e.file}${e.line !== null ? `:${e.line}${e.column !== null ? `:${e.column}` : ''}` : ''}: ${e.message}`;
