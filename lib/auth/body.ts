/**
 * Request bodies read with a hard byte limit: the declared Content-Length is checked first, and the
 * stream is counted as it arrives (a chunked body has no Content-Length, and a client may lie), so
 * no more than `maxBytes` (+ one chunk) is ever held in memory.
 */
import { ServiceError } from '@/lib/services/errors';

export async function readLimitedBody(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = req.headers.get('content-length');
  if (declared !== null) {
    // Stryker disable next-line MethodExpression: Headers already strips surrounding whitespace
    const n = /^\d+$/.test(declared.trim()) ? Number(declared) : NaN;
    if (Number.isNaN(n)) throw new ServiceError('invalid', 'Content-Length is not a number.', [{ field: '(headers).content-length', message: 'not a number' }]);
    if (n > maxBytes) throw new ServiceError('too_large', `Request body is ${n} bytes; the limit is ${maxBytes}.`);
  }
  const reader = req.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ServiceError('too_large', `Request body exceeds the limit of ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
