// Form-facing errors of account creation land on the field that caused them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { createUser } from '@/lib/services/users';
import { createTestDb, serviceError, usingPostgres, type TestDb } from './helpers';

let h: TestDb;
const cli: Actor = { type: 'cli', id: null, label: 'cli:integration', origin: 'cli' };
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});

describe('createUser field errors', () => {
  it('an all-empty submission flags every required field, each with "is required"', async () => {
    const e = await serviceError(() => createUser(h.db, cli, { email: '', name: '', password: '' }));
    const first = new Map<string, string>();
    for (const d of e.details!) if (!first.has(d.field)) first.set(d.field, d.message);
    expect(Object.fromEntries(first)).toEqual({ email: 'is required', name: 'is required', password: 'is required' });
  });

  it('the same email twice at the same moment: one account, and the other gets the email field error (not an internal error)', async () => {
    const input = { email: 'twin@example.com', name: 'Twin', password: 'twin-password-1' };
    const attempts = usingPostgres ? 4 : 2;
    const results = await Promise.allSettled(Array.from({ length: attempts }, () => createUser(h.db, cli, input)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict', details: [{ field: 'email', message: 'is already taken' }] });
    }
    expect(await h.db.user.count({ where: { email: 'twin@example.com' } })).toBe(1);
  });
});
