import { defineRoute, otherMethods } from '@/lib/auth/route';
import { expectedUpdatedAtSchema, getTicket, ticketPatchSchema, updateTicket } from '@/lib/services/flaky/tickets';

export const dynamic = 'force-dynamic';

/** One investigation ticket. A token limited to other projects gets 404, as for no such ticket. */
export const GET = defineRoute({ name: 'ticket.read', access: { role: 'viewer', scope: 'read' } }, async ({ db, actor, params }) => ({ ticket: await getTicket(db, actor!, params.ticketId ?? '') }));

/**
 * Edit a ticket (operator, signed in, as for quarantine changes: no token scope grants it):
 * `{ expectedUpdatedAt, status?, owner?, notes?, links? }`. `expectedUpdatedAt` is the ticket's
 * `updatedAt` as read; 409 when it changed since.
 */
export const PATCH = defineRoute(
  { name: 'ticket.update', access: { role: 'operator' }, body: ticketPatchSchema.extend({ expectedUpdatedAt: expectedUpdatedAtSchema }), maxBytes: 64 * 1024 },
  async ({ db, actor, body, params, now }) => {
    const { expectedUpdatedAt, ...patch } = body;
    return updateTicket(db, actor!, params.ticketId ?? '', patch, { now, expectedUpdatedAt });
  },
);

export const { POST, PUT, DELETE, OPTIONS } = otherMethods(['GET', 'PATCH']);
