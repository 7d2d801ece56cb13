import 'server-only';
/**
 * The one wrapper every API route handler goes through:
 * parse → authenticate (Bearer token or session cookie) → CSRF check (cookie calls) → authorise →
 * validate → run → respond. Errors always use the envelope `{ error: { code, message, details } }`.
 */
import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { getDb, type Db } from '@/lib/db/client';
import { findJsonLimitProblem } from '@/lib/engine/json-limits';
import { hasRole, hasScope, type Role, type TokenScope } from '@/lib/engine/roles';
import type { Actor } from '@/lib/services/actor';
import { recordAudit } from '@/lib/services/audit';
import { ServiceError, STATUS, zodIssues, type FieldIssue } from '@/lib/services/errors';
import { tokenRefusalMessage, verifyToken } from '@/lib/services/tokens';
import { findUnsafeJson } from '@/lib/validation';
import { readLimitedBody } from './body';
import { crossSiteProblem } from './csrf';
import { errorResponse } from './http';
import { getSessionUser, requestOrigin } from './session';

export { errorResponse, otherMethods } from './http';
export { readLimitedBody } from './body';

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

const DEFAULT_MAX_BYTES = 1024 * 1024;
/**
 * A body over 1 MB (only perf ingest takes one: 64 MB) is scanned before JSON.parse: 64 MB of `{},`
 * would be 21 M objects and over a gigabyte of heap. Its structure is small (files are strings).
 */
const LARGE_BODY_LIMITS = { depth: 64, containers: 100_000, values: 1_000_000, keys: 50_000 };
const MAX_PARAM_LENGTH = 200;

async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  const text = Buffer.from(await readLimitedBody(req, maxBytes)).toString('utf8');
  if (!text) return undefined;
  const tooBig = text.length > DEFAULT_MAX_BYTES ? findJsonLimitProblem(text, LARGE_BODY_LIMITS) : null;
  if (tooBig) throw invalidIssues([{ field: '(body)', message: `line ${tooBig.line}, column ${tooBig.column}: ${tooBig.message}` }]);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ServiceError('invalid', `Request body is not valid JSON: ${(e as Error).message}`, [{ field: '(body)', message: 'invalid JSON' }]);
  }
  const unsafe = findUnsafeJson(value);
  if (unsafe.length) throw invalidIssues(unsafe);
  return value;
}

function invalidIssues(details: FieldIssue[]): ServiceError {
  return new ServiceError('invalid', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
}

/**
 * Path parameters and query values go into SQL as text: a NUL or other control character (which
 * PostgreSQL text cannot hold) or an absurd length is a 400 naming it, never a database error.
 */
function checkedParams(raw: Record<string, string | string[]> | undefined): Record<string, string> {
  const issues: FieldIssue[] = [];
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    const value = Array.isArray(v) ? v.join('/') : v;
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    if (/[\u0000-\u001f\u007f]/.test(value)) issues.push({ field: k, message: 'must not contain control characters' });
    else if (value.length > MAX_PARAM_LENGTH) issues.push({ field: k, message: `must be at most ${MAX_PARAM_LENGTH} characters` });
    params[k] = value;
  }
  if (issues.length) throw invalidIssues(issues);
  return params;
}

function checkQuery(req: Request): void {
  const issues: FieldIssue[] = [];
  for (const [k, v] of new URL(req.url).searchParams) {
    if (k.includes('\u0000') || v.includes('\u0000')) issues.push({ field: k.split('\u0000').join('\\0'), message: 'must not contain a NUL character' });
  }
  if (issues.length) throw invalidIssues(issues);
}

async function authenticate(req: Request, db: Db, now: Date): Promise<{ actor: Actor | null; viaSession?: boolean; problem?: string }> {
  const origin = requestOrigin(req.headers);
  const authz = req.headers.get('authorization');
  if (authz) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    if (!m?.[1]) return { actor: null, problem: 'Authorization header must be "Bearer <token>".' };
    const check = await verifyToken(db, m[1], now);
    if (!check.ok) return { actor: null, problem: tokenRefusalMessage(check) };
    return { actor: { type: 'token', id: check.token.id, label: `token:${check.token.name}`, scopes: check.token.scopes, projects: check.token.projects, origin } };
  }
  const user = await getSessionUser(req.headers);
  if (!user) return { actor: null };
  return { actor: { type: 'user', id: user.id, label: user.email, role: user.role, origin }, viaSession: true };
}

function allowed(actor: Actor, access: Exclude<Access, { public: true }>): boolean {
  if (actor.type === 'user') return hasRole(actor.role, access.role);
  // Mutation testing: two equivalent mutants survive here: the `if` → true (only token actors get this far) and
  // `access.scope !== undefined` → true (hasScope(scopes, undefined) is false; a session-only route refusing every token is
  // tested). Not disabled: the same line holds the mutants that matter (a wrong scope let through), which tests kill.
  if (actor.type === 'token') return access.scope !== undefined && hasScope(actor.scopes, access.scope);
  // Stryker disable next-line BooleanLiteral: unreachable, authenticate() only makes user and token actors; refusing anything else is the safe default
  return false;
}

export function defineRoute<S extends z.ZodType | undefined = undefined>(
  opts: { name: string; access: Access; body?: S; maxBytes?: number },
  handler: (ctx: RouteContext<S extends z.ZodType ? z.output<S> : undefined>) => Promise<Response | unknown>,
): (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> {
  return async (req, routeCtx) => {
    try {
      const params = checkedParams(await routeCtx.params);
      checkQuery(req);
      const now = new Date();
      const db = await getDb();
      let actor: Actor | null = null;
      if (!('public' in opts.access)) {
        const auth = await authenticate(req, db, now);
        if (!auth.actor) {
          return errorResponse(401, 'unauthenticated', auth.problem ?? 'Send "Authorization: Bearer <token>" or sign in.');
        }
        // A cookie rides along on any request the browser makes, including one another site's
        // page starts: refuse state changes that do not come from our own pages (lib/auth/csrf.ts).
        if (auth.viaSession) {
          const problem = crossSiteProblem(req);
          if (problem) return errorResponse(problem.status, problem.code, problem.message);
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
        const raw = await readJsonBody(req, opts.maxBytes ?? DEFAULT_MAX_BYTES);
        const parsed = opts.body.safeParse(raw);
        if (!parsed.success) {
          const details = zodIssues(parsed.error.issues);
          return errorResponse(400, 'invalid', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
        }
        body = parsed.data;
      }
      const result = await handler({ req, db, actor, body: body as never, params, now });
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (e) {
      if (e instanceof ServiceError) return errorResponse(STATUS[e.code], e.code, e.message, e.details);
      console.error(`[route ${opts.name}]`, e);
      return errorResponse(500, 'internal', 'Internal error; the server log has details.');
    }
  };
}
