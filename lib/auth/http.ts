/**
 * Responses every API route shares: the error envelope, 405 for a method a route does not have
 * (with an Allow header) and 404 for a path that does not exist, so a client always gets JSON.
 */
import { NextResponse } from 'next/server';
import type { FieldIssue } from '@/lib/services/errors';

export function errorResponse(status: number, code: string, message: string, details?: FieldIssue[], headers?: HeadersInit): NextResponse {
  return NextResponse.json({ error: { code, message, details: details ?? [] } }, { status, headers });
}

type Handler = (req: Request) => Promise<Response>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function allowHeader(allowed: readonly Method[]): string {
  return [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
}

/**
 * Handlers for every method a route file does not define, for it to export:
 * `export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET']);`
 * Each answers 405 with the envelope and Allow; OPTIONS answers 204 with Allow (no CORS: the API
 * is same-origin or token-authenticated). HEAD follows GET, as Next.js does by itself.
 */
export function otherMethods<const A extends readonly Method[]>(allowed: A): Record<Exclude<Method, A[number]> | 'OPTIONS', Handler> {
  const allow = allowHeader(allowed);
  const refuse: Handler = async (req) =>
    errorResponse(405, 'method_not_allowed', `${req.method} is not allowed here; use ${allowed.join(' or ')}.`, [], { allow });
  const out: Record<string, Handler> = { OPTIONS: async () => new Response(null, { status: 204, headers: { allow } }) };
  for (const m of METHODS) if (!allowed.includes(m)) out[m] = refuse;
  return out as Record<Exclude<Method, A[number]> | 'OPTIONS', Handler>;
}

/** For a catch-all route: every method answers 404 with the envelope. */
export function notFoundRoute(): Record<Method | 'OPTIONS' | 'HEAD', Handler> {
  const notFound: Handler = async (req) => errorResponse(404, 'not_found', `No API endpoint at ${new URL(req.url).pathname}.`);
  return { GET: notFound, HEAD: notFound, POST: notFound, PUT: notFound, PATCH: notFound, DELETE: notFound, OPTIONS: notFound };
}
