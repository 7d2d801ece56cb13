'use server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { createToken, newTokenSchema, revokeToken } from '@/lib/services/tokens';

/** Returns the secret once; the page shows it and never again. */
export const createTokenAction = defineAction({ name: 'token.create', role: 'admin', input: newTokenSchema }, async (input, { db, actor }) => {
  const result = await createToken(db, actor, input);
  revalidatePath('/settings');
  return result;
});

export const revokeTokenAction = defineAction({ name: 'token.revoke', role: 'admin', input: z.object({ tokenId: z.string().min(1) }) }, async ({ tokenId }, { db, actor }) => {
  const token = await revokeToken(db, actor, tokenId);
  revalidatePath('/settings');
  return token;
});
