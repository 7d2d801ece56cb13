import { z } from 'zod';
import { defineRoute, otherMethods } from '@/lib/auth/route';
import { safeDate, safeString } from '@/lib/validation';
import { quarantineTest, unquarantineTest } from '@/lib/services/flaky/quarantine';

export const dynamic = 'force-dynamic';

/** Quarantine a test by hand (operator, signed in): { reason, expiresAt? }. */
export const POST = defineRoute(
  { name: 'test.quarantine', access: { role: 'operator' }, body: z.object({ reason: safeString(500), expiresAt: safeDate().nullish() }), maxBytes: 8 * 1024 },
  async ({ db, actor, body, params, now }) => quarantineTest(db, actor!, { testId: params.testId ?? '', reason: body.reason, expiresAt: body.expiresAt ?? null }, now),
);

/** Unquarantine (operator, signed in): { note? }. */
export const DELETE = defineRoute(
  { name: 'test.unquarantine', access: { role: 'operator' }, body: z.object({ note: safeString(500).optional() }).optional(), maxBytes: 8 * 1024 },
  async ({ db, actor, body, params, now }) => unquarantineTest(db, actor!, { testId: params.testId ?? '', note: body?.note ?? '' }, now),
);

export const { GET, PUT, PATCH, OPTIONS } = otherMethods(['POST', 'DELETE']);
