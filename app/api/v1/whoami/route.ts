import { defineRoute, otherMethods } from '@/lib/auth/route';

export const dynamic = 'force-dynamic';

/** Who the credentials belong to: lets CI check a token before it uploads anything. */
export const GET = defineRoute({ name: 'whoami', access: { role: 'viewer', scope: 'read' } }, async ({ actor }) => {
  if (!actor) return { actor: null };
  if (actor.type === 'token') return { type: 'token', name: actor.label.replace(/^token:/, ''), scopes: actor.scopes };
  if (actor.type === 'user') return { type: 'user', email: actor.label, role: actor.role };
  return { type: actor.type };
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET']);
