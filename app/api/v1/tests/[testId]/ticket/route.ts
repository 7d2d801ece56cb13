import { defineRoute, otherMethods } from '@/lib/auth/route';
import { openTicket, openTicketSchema } from '@/lib/services/flaky/tickets';

export const dynamic = 'force-dynamic';

/** Open an investigation ticket by hand (operator, signed in): `{ owner?, notes? }`; 409 when one is open. */
export const POST = defineRoute(
  { name: 'ticket.open', access: { role: 'operator' }, body: openTicketSchema.omit({ testId: true }).optional(), maxBytes: 64 * 1024 },
  async ({ db, actor, body, params, now }) => Response.json({ ticket: await openTicket(db, actor!, { ...(body ?? {}), testId: params.testId ?? '' }, now) }, { status: 201 }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['POST']);
