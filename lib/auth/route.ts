import 'server-only';
/**
 * The one wrapper every API route handler goes through:
 * parse → authenticate (Bearer token or session cookie) → authorise → validate → run → respond.
 * Errors always use the envelope `{ error: { code, message, details } }`.
 */
import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { getDb, type Db } from '@/lib/db/client';
import { hasRole, hasScope, type Role, type TokenScope } from '@/lib/engine/roles';
import type { Actor } from '@/lib/services/actor';
import { recordAudit } from '@/lib/services/audit';
import { ServiceError, STATUS, zodIssues, type FieldIssue } from '@/lib/services/errors';
import { verifyToken } from '@/lib/services/tokens';
import { getSessionUser, requestOrigin } from './session';

export type Access =
  | { public: true }
  /** A signed-in user with at least `role`, or a token holding `scope`. */
  | { role: Role; scope?: TokenScope };

export interface RouteContext<B> {
  req: Request;
  db: Db;
  actor: Actor | null;
  body: B;
  params: Record<string, string>;
  now: Date;
}

export function errorResponse(status: number, code: string, message: string, details?: FieldIssue[]): NextResponse {
  return NextResponse.json({ error: { code, message, details: details ?? [] } }, { status });
}

const DEFAULT_MAX_BYTES = 1024 * 1024;

async function readBody(req: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new ServiceError('too_large', `Request body is ${declared} bytes; the limit is ${maxBytes}.`);
  const reader = req.body?.getReader();
  if (!reader) return undefined;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ServiceError('too_large', `Request body exceeds the limit of ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ServiceError('invalid', `Request body is not valid JSON: ${(e as Error).message}`, [{ field: '(body)', message: 'invalid JSON' }]);
  }
}

async function authenticate(req: Request, db: Db, now: Date): Promise<{ actor: Actor | null; problem?: string; revoked?: { id: string } }> {
  const origin = requestOrigin(req.headers);
  const authz = req.headers.get('authorization');
  if (authz) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    if (!m?.[1]) return { actor: null, problem: 'Authorization header must be "Bearer <token>".' };
    const check = await verifyToken(db, m[1], now);
    if (!check.ok) return { actor: null, problem: check.reason === 'revoked' ? 'This API token has been revoked.' : 'Unknown or malformed API token.' };
    return { actor: { type: 'token', id: check.token.id, label: `token:${check.token.name}`, scopes: check.token.scopes, origin } };
  }
  const user = await getSessionUser(req.headers);
  if (!user) return { actor: null };
  return { actor: { type: 'user', id: user.id, label: user.email, role: user.role, origin } };
}

function allowed(actor: Actor, access: Exclude<Access, { public: true }>): boolean {
  if (actor.type === 'user') return hasRole(actor.role, access.role);
  if (actor.type === 'token') return access.scope !== undefined && hasScope(actor.scopes, access.scope);
  return false;
}

export function defineRoute<S extends z.ZodType | undefined = undefined>(
  opts: { name: string; access: Access; body?: S; maxBytes?: number },
  handler: (ctx: RouteContext<S extends z.ZodType ? z.output<S> : undefined>) => Promise<Response | unknown>,
): (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> {
  return async (req, routeCtx) => {
    try {
      const now = new Date();
      const db = await getDb();
      let actor: Actor | null = null;
      if (!('public' in opts.access)) {
        const auth = await authenticate(req, db, now);
        if (!auth.actor) {
          return errorResponse(401, 'unauthenticated', auth.problem ?? 'Send "Authorization: Bearer <token>" or sign in.');
        }
        actor = auth.actor;
        if (!allowed(actor, opts.access)) {
          const need = actor.type === 'token' ? (opts.access.scope ? `the "${opts.access.scope}" scope` : 'a signed-in user') : `the ${opts.access.role} role`;
          await recordAudit(db, actor, { action: opts.name, summary: `Refused: ${opts.name} needs ${need}`, outcome: 'denied' });
          return errorResponse(403, 'forbidden', `This endpoint needs ${need}.`);
        }
      }
      let body: unknown = undefined;
      if (opts.body) {
        const raw = await readBody(req, opts.maxBytes ?? DEFAULT_MAX_BYTES);
        const parsed = opts.body.safeParse(raw);
        if (!parsed.success) {
          const details = zodIssues(parsed.error.issues);
          return errorResponse(400, 'invalid', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
        }
        body = parsed.data;
      }
      const rawParams = await routeCtx.params;
      const params = Object.fromEntries(Object.entries(rawParams ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join('/') : v]));
      const result = await handler({ req, db, actor, body: body as never, params, now });
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (e) {
      if (e instanceof ServiceError) return errorResponse(STATUS[e.code], e.code, e.message, e.details);
      console.error(`[route ${opts.name}]`, e);
      return errorResponse(500, 'internal', 'Internal error; the server log has details.');
    }
  };
}
