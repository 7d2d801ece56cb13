import { z } from 'zod';
import { defineRoute, otherMethods } from '@/lib/auth/route';
import { createPingKey, listPingKeys } from '@/lib/services/cron';

export const dynamic = 'force-dynamic';

/**
 * Ping keys (the <ping-key> of /ping/<ping-key>/<slug>): operators, or a token with the `ingest`
 * scope. A key creates checks with `?create=1`, so a viewer or a read token never sees one.
 */
export const GET = defineRoute({ name: 'cron.ping_key.list', access: { role: 'operator', scope: 'ingest' } }, async ({ db, actor }) => ({ pingKeys: await listPingKeys(db, actor!) }));

/** Create a ping key: admins only (signed in; no token). Body `{ name }`. 201 with the key. */
export const POST = defineRoute({ name: 'cron.ping_key.create', access: { role: 'admin' }, body: z.object({ name: z.string() }).strict() }, async ({ db, actor, body, now }) =>
  Response.json(await createPingKey(db, actor!, body.name, now), { status: 201 }));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET', 'POST']);
