/**
 * Reads one uploaded results file as a stream: gunzips it when it starts with gzip's magic bytes,
 * hashes what it reads (the de-duplication key), keeps a gzip copy of the raw bytes for re-parsing,
 * and feeds the streaming parser, so a 200 MB file never sits in memory whole. `readUpload` keeps
 * the parsed cases in memory (the CLI's local files); `spoolUpload` hands them to a `CaseSpool`,
 * which keeps memory bounded whatever the file's size (the server).
 */
import crypto from 'node:crypto';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { createJunitEntryParser, createJunitParser, JunitParseError, type JunitParser } from '@/lib/engine/flaky/junit';
import type { ParsedReport, ParseFailure, ReportHeader } from '@/lib/engine/flaky/types';
import { ServiceError } from '../errors';
import { CaseSpool, type SpoolOptions } from './case-spool';

/** Decompressed bytes one file may have (the parser has its own limits on elements and depth). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
/** A raw copy larger than this (compressed) is not kept. */
export const MAX_RAW_KEPT = 64 * 1024 * 1024;

export type ReadOutcome =
  | { ok: true; report: ParsedReport; sha256: string; bytes: number; rawGz: Buffer | null }
  | { ok: false; error: ParseFailure };

export type SpoolOutcome =
  | { ok: true; header: ReportHeader; spool: CaseSpool; sha256: string; bytes: number; rawGz: RawCopy | null }
  | { ok: false; error: ParseFailure };

/** Bytes of the compressed raw copy per piece (and per statement when it is stored). */
export const RAW_PIECE_BYTES = 1 << 20;

/**
 * The gzip copy of a raw upload, in pieces of `RAW_PIECE_BYTES` (the last one shorter): never
 * concatenated on the server, where a 211 MB file's copy is 16 MB and every copy of it counts.
 */
export interface RawCopy {
  pieces: Buffer[];
  bytes: number;
}

/** Collects the compressor's output (16 KiB chunks) into pieces of exactly `size` bytes. */
class RawPieces {
  readonly pieces: Buffer[] = [];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  bytes = 0;

  constructor(private readonly size: number) {}

  push(b: Buffer): void {
    this.bytes += b.length;
    this.pending.push(b);
    this.pendingBytes += b.length;
    if (this.pendingBytes < this.size) return;
    const all = Buffer.concat(this.pending);
    let at = 0;
    for (; all.length - at >= this.size; at += this.size) this.pieces.push(all.subarray(at, at + this.size));
    this.pending = at < all.length ? [all.subarray(at)] : [];
    this.pendingBytes = all.length - at;
  }

  discard(): void {
    this.pieces.length = 0;
    this.pending = [];
    this.pendingBytes = 0;
  }

  done(): RawCopy {
    if (this.pendingBytes) this.pieces.push(this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
    return { pieces: this.pieces, bytes: this.bytes };
  }
}

/**
 * Gunzips a stream with backpressure: at most one output chunk at a time is held, so a gzip bomb
 * meets the decompressed-size limit in readUpload before it can fill memory. An error of the
 * source (the request's size limit) comes out as itself; a corrupt stream as a file error.
 */
async function* gunzip(chunks: AsyncIterable<Uint8Array>, file: string): AsyncIterable<Uint8Array> {
  const z = zlib.createGunzip({ chunkSize: 64 * 1024 });
  const src = Readable.from(chunks);
  src.on('error', (e) => z.destroy(e));
  src.pipe(z);
  try {
    for await (const b of z) yield b as Buffer;
  } catch (e) {
    if (e instanceof ServiceError) throw e;
    throw new ServiceError('invalid', `${file}: not a valid gzip stream (${(e as Error).message})`, [{ field: file, message: 'bad gzip' }]);
  } finally {
    src.destroy();
    z.destroy();
  }
}

async function* sniffed(chunks: AsyncIterable<Uint8Array>, file: string): AsyncIterable<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => it };
  async function* all() {
    yield first.value;
    yield* rest;
  }
  const head = first.value;
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) yield* gunzip(all(), file);
  else yield* all();
}

/** Parses one file, its cases in memory. Structural problems are `{ ok: false }` with file, line and column. */
export async function readUpload(file: string, chunks: AsyncIterable<Uint8Array>, opts: { keepRaw: boolean; root?: string | null }): Promise<ReadOutcome> {
  const r = await readWith(file, chunks, createJunitParser({ file, root: opts.root }), opts.keepRaw, null, RAW_PIECE_BYTES);
  return r.ok ? { ok: true, report: r.result, sha256: r.sha256, bytes: r.bytes, rawGz: r.rawGz && Buffer.concat(r.rawGz.pieces) } : r;
}

/**
 * Parses one file into a spool (bounded memory). On success the caller owns the spool and must
 * `dispose()` it; on a rejection or an error nothing is left behind.
 */
export async function spoolUpload(file: string, chunks: AsyncIterable<Uint8Array>, opts: { keepRaw: boolean; spool: SpoolOptions; root?: string | null; rawPieceBytes?: number }): Promise<SpoolOutcome> {
  const spool = new CaseSpool(opts.spool);
  try {
    const r = await readWith(file, chunks, createJunitEntryParser({ file, entries: spool, root: opts.root }), opts.keepRaw, spool, opts.rawPieceBytes ?? RAW_PIECE_BYTES);
    if (!r.ok) {
      await spool.dispose();
      return r;
    }
    await spool.finish();
    return { ok: true, header: r.result, spool, sha256: r.sha256, bytes: r.bytes, rawGz: r.rawGz };
  } catch (e) {
    await spool.dispose();
    throw e;
  }
}

type Read<R> = { ok: true; result: R; sha256: string; bytes: number; rawGz: RawCopy | null } | { ok: false; error: ParseFailure };

async function readWith<R>(file: string, chunks: AsyncIterable<Uint8Array>, parser: JunitParser<R>, keepRaw: boolean, spool: CaseSpool | null, rawPieceBytes: number): Promise<Read<R>> {
  const hash = crypto.createHash('sha256');
  const gz = keepRaw ? zlib.createGzip({ level: 6 }) : null;
  const raw = new RawPieces(rawPieceBytes);
  let rawBytes = 0;
  gz?.on('data', (b: Buffer) => {
    rawBytes += b.length;
    if (rawBytes <= MAX_RAW_KEPT) raw.push(b);
    else raw.discard(); // too large to keep: not held to the end of the file either
  });
  let bytes = 0;
  try {
    for await (const chunk of sniffed(chunks, file)) {
      bytes += chunk.length;
      if (bytes > MAX_FILE_BYTES) return { ok: false, error: { file, line: null, column: null, message: `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` } };
      hash.update(chunk);
      // With backpressure: unchecked writes queued the whole upload in the compressor's write
      // buffer whenever it fell behind the parser (~500 MiB for a 211 MB file over HTTP).
      if (gz && !gz.write(chunk)) await once(gz, 'drain');
      parser.write(chunk);
      await spool?.drain();
    }
    const result = parser.end();
    // Wait for the readable side's 'end', not end()'s callback: that fires on 'finish', before
    // the last compressed chunks (the deflate tail and the gzip trailer) have come out as 'data'.
    if (gz) {
      const ended = new Promise<void>((resolve, reject) => gz.once('end', resolve).once('error', reject));
      gz.end();
      await ended;
    }
    return { ok: true, result, sha256: hash.digest('hex'), bytes, rawGz: gz && rawBytes <= MAX_RAW_KEPT ? raw.done() : null };
  } catch (e) {
    gz?.destroy();
    if (e instanceof JunitParseError) return { ok: false, error: e.failure };
    throw e;
  }
}

/** Chunks of an in-memory buffer (tests, the CLI's small files, multipart parts). */
export async function* chunksOf(data: Uint8Array, size = 1 << 16): AsyncIterable<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}
