/**
 * Holds the entries of one uploaded file between parsing and storing, in bounded memory (issue 9:
 * "peak server memory under 300 MB for a 200 MB file").
 *
 * The parser hands over each `<testcase>` as it ends. The first `memoryEntries` stay in memory (an
 * ordinary CI file never touches the disk); past that, entries are appended as JSON lines to a file
 * in a private directory (`mkdtemp`, mode 0700, the file 0600, opened exclusively) and read back one
 * at a time when stored. Entries of one identity and variant are attempts of one result, and they
 * may be far apart in the file (gotestsum `--rerun-fails` appends its re-runs at the end), so a
 * `KeyCounter` counts every entry's key in ~9 bytes; when the cases are read back, an entry whose
 * key was seen once is a result on its own and goes straight through, and only the entries of
 * repeated keys are grouped in memory (`ResultCollector`) and come out last.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { entryKey, entryToCase, ownEntry, ResultCollector, type CaseEntry, type EntrySink } from '@/lib/engine/flaky/junit';
import { KeyCounter } from '@/lib/engine/flaky/junit/key-counter';
import type { ParsedCase } from '@/lib/engine/flaky/types';

/** Entries kept in memory before the spool file is started (~1 KiB each with a failure message). */
export const DEFAULT_MEMORY_ENTRIES = 20_000;
/** Buffered JSON written out at the latest at this size, between two chunks of the upload. */
const FLUSH_BYTES = 1 << 20;

export interface SpoolOptions {
  /** Directory under which a private directory is made when the file is spooled. */
  dir: string;
  memoryEntries?: number;
}

export class CaseSpool implements EntrySink {
  private readonly keys = new KeyCounter();
  private readonly memory: CaseEntry[] = [];
  private readonly limit: number;
  private pending: string[] = [];
  private pendingBytes = 0;
  private tmpDir: string | null = null;
  private file: string | null = null;
  private fd: number | null = null;
  private disposed = false;
  /** Entries received (a result with retries is several). */
  entries = 0;

  constructor(private readonly opts: SpoolOptions) {
    this.limit = opts.memoryEntries ?? DEFAULT_MEMORY_ENTRIES;
  }

  /** Whether entries went to disk. */
  get spooled(): boolean {
    return this.file !== null;
  }

  add(entry: CaseEntry): void {
    if (this.disposed) throw new Error('spool used after dispose');
    this.entries++;
    this.keys.add(entryKey(entry));
    if (this.file === null && this.memory.length < this.limit) {
      this.memory.push(ownEntry(entry));
      return;
    }
    const line = `${JSON.stringify(entry)}\n`;
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.file === null) this.open();
  }

  /** Writes buffered entries out; call between chunks (the parser's `write` is synchronous). */
  async drain(force = false): Promise<void> {
    if (!this.pending.length || (!force && this.pendingBytes < FLUSH_BYTES)) return;
    const data = this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    const fd = this.fd!;
    await new Promise<void>((resolve, reject) => fs.write(fd, data, null, 'utf8', (e) => (e ? reject(spoolError(e)) : resolve())));
  }

  /** Ends writing: everything received is on disk (or in memory). */
  async finish(): Promise<void> {
    await this.drain(true);
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      await new Promise<void>((resolve, reject) => fs.close(fd, (e) => (e ? reject(spoolError(e)) : resolve())));
    }
  }

  /** The results, each once: single entries in file order, then the grouped repeated ones. */
  async *cases(): AsyncGenerator<ParsedCase> {
    if (this.disposed) throw new Error('spool used after dispose');
    const repeated = new ResultCollector();
    const single = (e: CaseEntry): ParsedCase | null => {
      if (this.keys.count(entryKey(e)) === 1) return entryToCase(e);
      repeated.add(e);
      return null;
    };
    for (const e of this.memory) {
      const c = single(e);
      if (c) yield c;
    }
    if (this.file !== null) {
      for await (const line of spoolLines(this.file)) {
        const c = single(JSON.parse(line) as CaseEntry);
        if (c) yield c;
      }
    }
    yield* repeated.results();
  }

  /** Removes the spool file and its directory. Safe to call more than once. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.memory.length = 0;
    this.pending = [];
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
    if (this.tmpDir !== null) await fs.promises.rm(this.tmpDir, { recursive: true, force: true });
    this.tmpDir = null;
    this.file = null;
  }

  private open(): void {
    try {
      fs.mkdirSync(this.opts.dir, { recursive: true, mode: 0o700 });
      this.tmpDir = fs.mkdtempSync(path.join(this.opts.dir, 'steward-upload-'));
      this.file = path.join(this.tmpDir, 'entries.jsonl');
      this.fd = fs.openSync(this.file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), 0o600);
    } catch (e) {
      throw spoolError(e as NodeJS.ErrnoException);
    }
  }
}

function spoolError(e: NodeJS.ErrnoException): Error {
  const err = new Error(`could not spool the upload to disk (${e.code ?? e.message}); the upload was not stored`);
  (err as Error & { cause?: unknown }).cause = e;
  return err;
}

/**
 * The spool file's lines (JSON never holds a raw newline), read with backpressure: one 1 MiB chunk
 * at a time, while the consumer stores the cases. (readline's iterator read ahead of a slow
 * consumer: ~70 MiB of the file's chunks queued while a 2-million-case upload was being stored.)
 */
export async function* spoolLines(file: string): AsyncGenerator<string> {
  const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of input) {
      const text = rest + decoder.write(chunk as Buffer);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        if (nl > start) yield text.slice(start, nl);
        start = nl + 1;
      }
      rest = text.slice(start);
    }
    const last = rest + decoder.end();
    if (last) yield last;
  } finally {
    input.destroy();
  }
}
