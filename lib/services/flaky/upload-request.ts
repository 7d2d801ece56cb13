/**
 * Turns an HTTP upload into ingest input. Two forms:
 * - raw: the body is one file (XML or TRX, gzip by `Content-Encoding: gzip` or by magic bytes),
 *   streamed to the parser; `?project=…&commit=…&branch=…&run_id=…&run_url=…&job=…&attempt=…
 *   &variant=…&root=…&file=…` carry the rest.
 * - multipart/form-data: any number of file parts (≤ 100) and the same names as fields; the whole
 *   body is limited to MAX_MULTIPART_BYTES (the platform parser buffers it).
 */
import { ServiceError } from '../errors';
import type { UploadFileInput, UploadMeta } from './ingest';
import { chunksOf, MAX_FILE_BYTES } from './read-upload';

export const MAX_MULTIPART_BYTES = 256 * 1024 * 1024;

const FIELDS: Readonly<Record<string, keyof UploadMeta>> = { commit: 'commit', branch: 'branch', run_id: 'runId', runId: 'runId', run_url: 'runUrl', runUrl: 'runUrl', job: 'job', attempt: 'attempt', variant: 'variant', root: 'root' };

async function* limited(body: ReadableStream<Uint8Array>, max: number): AsyncIterable<Uint8Array> {
  let n = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      n += value.length;
      if (n > max) throw new ServiceError('too_large', `The upload is larger than ${Math.round(max / 1024 / 1024)} MiB.`);
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** The same stream, erroring with `error` once more than `max` bytes have passed. */
function counted(body: ReadableStream<Uint8Array>, max: number, error: Error): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let n = 0;
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      const { done, value } = await reader.read();
      if (done) return c.close();
      n += value.length;
      if (n > max) {
        await reader.cancel().catch(() => undefined);
        return c.error(error);
      }
      c.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** `maxMultipartBytes` is for tests; the route uses MAX_MULTIPART_BYTES. */
export async function uploadRequest(req: Request, opts: { maxMultipartBytes?: number } = {}): Promise<{ project: string; meta: UploadMeta; files: UploadFileInput[] }> {
  const maxMultipart = opts.maxMultipartBytes ?? MAX_MULTIPART_BYTES;
  const url = new URL(req.url);
  const meta: Record<string, string> = Object.create(null) as Record<string, string>;
  let project = url.searchParams.get('project') ?? '';
  // Object.hasOwn: a field named __proto__ or constructor is not a metadata field.
  const field = (k: string) => (Object.hasOwn(FIELDS, k) ? FIELDS[k] : undefined);
  for (const [k, v] of url.searchParams) {
    const f = field(k);
    if (f) meta[f] = v;
  }
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'multipart/form-data') {
    const tooLarge = new ServiceError('too_large', `A multipart upload may be at most ${Math.round(maxMultipart / 1024 / 1024)} MiB; send large files one per request as a raw body.`);
    const length = Number(req.headers.get('content-length') ?? NaN);
    if (length > maxMultipart) throw tooLarge;
    // The platform parser buffers the whole body: count it as it arrives too, since a chunked
    // body has no Content-Length to refuse up front (and it was read whole, unbounded, before).
    let form: FormData;
    try {
      form = await new Response(req.body ? counted(req.body, maxMultipart, tooLarge) : null, { headers: { 'content-type': req.headers.get('content-type')! } }).formData();
    } catch (e) {
      if (e === tooLarge) throw tooLarge;
      throw new ServiceError('invalid', 'The multipart body could not be read.', [{ field: '(body)', message: 'malformed multipart' }]);
    }
    const files: UploadFileInput[] = [];
    for (const [k, v] of form) {
      if (typeof v === 'string') {
        const f = field(k);
        if (k === 'project') project = v;
        else if (f) meta[f] = v;
      } else {
        files.push({ name: v.name || k, chunks: chunksOf(new Uint8Array(await v.arrayBuffer())) });
      }
    }
    return { project, meta: meta as UploadMeta, files };
  }
  if (!req.body) throw new ServiceError('invalid', 'The request has no body: send a JUnit XML or TRX file.', [{ field: '(body)', message: 'is empty' }]);
  const encoding = (req.headers.get('content-encoding') ?? '').toLowerCase();
  if (encoding && encoding !== 'gzip' && encoding !== 'identity') throw new ServiceError('invalid', `Content-Encoding ${encoding} is not supported; send gzip or plain.`, [{ field: 'content-encoding', message: 'unsupported' }]);
  // gzip bodies are recognised by their magic bytes in readUpload, with or without the header.
  const name = url.searchParams.get('file') || 'results.xml';
  return { project, meta: meta as UploadMeta, files: [{ name, chunks: limited(req.body, MAX_FILE_BYTES) }] };
}
