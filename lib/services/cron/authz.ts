/**
 * Who may change checks, checked again at the service boundary (the route and action wrappers
 * check first; the CLI and jobs act as themselves). Operators create, edit, pause and delete
 * checks (a token needs the `ingest` scope, whose least role is operator); admins manage ping
 * keys (no token may); viewers and `read` tokens read (routes insist on `read` for GETs; here an
 * `ingest` token may also read, so a write can answer the check it wrote).
 */
import { hasRole, hasScope, type Role } from '@/lib/engine/roles';
import type { Actor } from '../actor';
import { ServiceError } from '../errors';

export function requireRole(actor: Actor, role: Role, what: string): void {
  if (actor.type === 'cli' || actor.type === 'system') return;
  if (actor.type === 'user' && hasRole(actor.role, role)) return;
  if (actor.type === 'token' && role === 'viewer' && (hasScope(actor.scopes, 'read') || hasScope(actor.scopes, 'ingest'))) return;
  if (actor.type === 'token' && role === 'operator' && hasScope(actor.scopes, 'ingest')) return;
  throw new ServiceError('forbidden', `${what} needs the ${role} role${actor.type === 'token' ? (role === 'admin' ? ' (not possible with an API token)' : ` (a token needs the "${role === 'viewer' ? 'read' : 'ingest'}" scope)`) : ''}.`);
}
