import 'server-only';
/**
 * The one wrapper every server action goes through: authenticate (session), authorise (role),
 * validate (zod), run, and map errors to a small result. A refused call is written to the audit
 * log with outcome "denied" and changes nothing.
 */
import { headers } from 'next/headers';
import type { z } from 'zod';
import { getDb, type Db } from '@/lib/db/client';
import { hasRole, type Role } from '@/lib/engine/roles';
import type { Actor } from '@/lib/services/actor';
import { recordAudit } from '@/lib/services/audit';
import { ServiceError, zodIssues, type FieldIssue, type ServiceErrorCode } from '@/lib/services/errors';
import { isOwnOrigin } from './origin';
import { getSessionUser, requestOrigin, type SessionUser } from './session';

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: ServiceErrorCode | 'internal'; message: string; details?: FieldIssue[] } };

export interface ActionContext {
  db: Db;
  actor: Actor;
  user: SessionUser;
  now: Date;
}

export function defineAction<S extends z.ZodType, T>(
  opts: { name: string; role: Role; input: S },
  fn: (input: z.output<S>, ctx: ActionContext) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (raw) => {
    try {
      const hdrs = await headers();
      const origin = requestOrigin(hdrs);
      const user = await getSessionUser(hdrs);
      if (!user) return { ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } };
      // Next.js refuses an action whose Origin is not the Host; this repeats it against the same
      // "own origin" the API's CSRF guard uses (STEWARD_BASE_URL when set), so the rule does not
      // hang on a framework detail. A browser always sends Origin on an action's POST; a call
      // without one (a script with a stolen cookie) is no cross-site request.
      const claimed = hdrs.get('origin');
      if (claimed !== null && !isOwnOrigin(claimed, hdrs)) return { ok: false, error: { code: 'forbidden', message: `Cross-site request refused: Origin ${claimed} is not this site.` } };
      const db = await getDb();
      const actor: Actor = { type: 'user', id: user.id, label: user.email, role: user.role, origin };
      if (!hasRole(user.role, opts.role)) {
        await recordAudit(db, actor, {
          action: opts.name,
          summary: `Refused: ${opts.name} needs the ${opts.role} role; ${user.email} is ${user.role}`,
          outcome: 'denied',
        });
        return { ok: false, error: { code: 'forbidden', message: `This needs the ${opts.role} role.` } };
      }
      const parsed = opts.input.safeParse(raw);
      if (!parsed.success) {
        const details = zodIssues(parsed.error.issues);
        return { ok: false, error: { code: 'invalid', message: details.map((d) => `${d.field}: ${d.message}`).join('; '), details } };
      }
      return { ok: true, data: await fn(parsed.data, { db, actor, user, now: new Date() }) };
    } catch (e) {
      if (e instanceof ServiceError) return { ok: false, error: { code: e.code, message: e.message, details: e.details } };
      // Next's redirect()/notFound() work by throwing; let them through.
      if (e && typeof e === 'object' && 'digest' in e) throw e;
      console.error(`[action ${opts.name}]`, e);
      return { ok: false, error: { code: 'internal', message: 'Something went wrong; the server log has details.' } };
    }
  };
}
