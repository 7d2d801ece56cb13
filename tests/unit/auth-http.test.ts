// Every API route answers JSON: 405 with Allow for a method it does not have, 404 for a path
// that does not exist; and request bodies are capped however they arrive.
import { describe, expect, it } from 'vitest';
import { readLimitedBody } from '@/lib/auth/body';
import { notFoundRoute, otherMethods } from '@/lib/auth/http';
import { ServiceError } from '@/lib/services/errors';

describe('otherMethods', () => {
  it('answers 405 with the envelope and an Allow header', async () => {
    const { DELETE, OPTIONS } = otherMethods(['GET']);
    const res = await DELETE(new Request('http://x/api/v1/whoami', { method: 'DELETE' }));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect((await res.json()).error.code).toBe('method_not_allowed');
    const opt = await OPTIONS(new Request('http://x/api/v1/whoami', { method: 'OPTIONS' }));
    expect(opt.status).toBe(204);
    expect(opt.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('covers exactly the methods a POST-only route lacks', () => {
    expect(Object.keys(otherMethods(['POST'])).sort()).toEqual(['DELETE', 'GET', 'OPTIONS', 'PATCH', 'PUT']);
  });
});

describe('notFoundRoute', () => {
  it('answers 404 with the envelope for every method', async () => {
    for (const [method, handler] of Object.entries(notFoundRoute())) {
      const res = await handler(new Request('http://x/api/v1/nope', { method }));
      expect(res.status, method).toBe(404);
      if (method !== 'HEAD') expect((await res.json()).error.code).toBe('not_found');
    }
  });
});

function streamed(chunks: number, size: number): Request {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent++ >= chunks) c.close();
      else c.enqueue(new Uint8Array(size));
    },
  });
  return new Request('http://x/', { method: 'POST', body, duplex: 'half' } as RequestInit);
}

describe('readLimitedBody', () => {
  it('refuses a declared Content-Length over the limit before reading', async () => {
    const req = new Request('http://x/', { method: 'POST', body: 'x', headers: { 'content-length': String(100 * 1024 * 1024) } });
    await expect(readLimitedBody(req, 16 * 1024)).rejects.toMatchObject({ code: 'too_large' });
  });

  it('counts a streamed body without Content-Length and stops at the limit', async () => {
    const err = await readLimitedBody(streamed(1000, 1024), 16 * 1024).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).code).toBe('too_large');
  });

  it('returns a body within the limit', async () => {
    expect((await readLimitedBody(streamed(4, 1024), 16 * 1024)).byteLength).toBe(4096);
  });
});

describe('readLimitedBody: exact limits (mutation-testing kills)', () => {
  const declared = (value: string, body: string | null = 'x') => new Request('http://x/', { method: 'POST', body, headers: { 'content-length': value } });

  it('a Content-Length that is not only digits is a 400 naming the header', async () => {
    for (const v of ['12abc', 'abc12', '-1', '1.5']) {
      await expect(readLimitedBody(declared(v), 1024), v).rejects.toMatchObject({ code: 'invalid', message: 'Content-Length is not a number.', details: [{ field: '(headers).content-length', message: 'not a number' }] });
    }
  });

  it('a declared length equal to the limit is read; one byte more is refused, saying both numbers', async () => {
    expect((await readLimitedBody(declared('3', 'abc'), 3)).toString()).toBe('abc');
    await expect(readLimitedBody(declared('4', 'abcd'), 3)).rejects.toMatchObject({ code: 'too_large', message: 'Request body is 4 bytes; the limit is 3.' });
  });

  it('a streamed body of exactly the limit is read; one byte more is refused', async () => {
    expect((await readLimitedBody(streamed(2, 8), 16)).byteLength).toBe(16);
    await expect(readLimitedBody(streamed(3, 8), 16)).rejects.toMatchObject({ code: 'too_large', message: 'Request body exceeds the limit of 16 bytes.' });
  });

  it('no body is an empty buffer', async () => {
    expect((await readLimitedBody(new Request('http://x/', { method: 'POST' }), 16)).byteLength).toBe(0);
    expect((await readLimitedBody(new Request('http://x/'), 16)).byteLength).toBe(0);
  });
});
