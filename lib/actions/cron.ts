'use server';
/**
 * Cron writes from the pages: create, edit, pause/resume and delete a check (operators), and add
 * or remove a ping key (admins). Each goes through the one action wrapper (session, role, zod) and calls
 * the service the API and the CLI use, with the signed-in user as the actor (audited there).
 */
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { checkInputSchema, createCheck, createPingKey, deleteCheck, deletePingKey, setCheckPaused, updateCheck } from '@/lib/services/cron';

const checkId = z.string().trim().min(1).max(100);

export const createCheckAction = defineAction({ name: 'cron.check.create', role: 'operator', input: checkInputSchema }, async (input, { db, actor, now }) => {
  const c = await createCheck(db, actor, input, now);
  revalidatePath('/cron');
  return { id: c.id };
});

export const updateCheckAction = defineAction(
  { name: 'cron.check.update', role: 'operator', input: z.object({ id: checkId, check: checkInputSchema }) },
  async ({ id, check }, { db, actor, now }) => {
    const c = await updateCheck(db, actor, id, check, now);
    revalidatePath('/cron');
    revalidatePath(`/cron/${c.id}`);
    return { id: c.id };
  },
);

const pauseInput = z.object({ id: checkId });

export const pauseCheckAction = defineAction({ name: 'cron.check.pause', role: 'operator', input: pauseInput }, async ({ id }, { db, actor, now }) => {
  const c = await setCheckPaused(db, actor, id, true, now);
  revalidatePath('/cron');
  revalidatePath(`/cron/${c.id}`);
  return { id: c.id, state: c.state };
});

export const resumeCheckAction = defineAction({ name: 'cron.check.resume', role: 'operator', input: pauseInput }, async ({ id }, { db, actor, now }) => {
  const c = await setCheckPaused(db, actor, id, false, now);
  revalidatePath('/cron');
  revalidatePath(`/cron/${c.id}`);
  return { id: c.id, state: c.state };
});

export const deleteCheckAction = defineAction({ name: 'cron.check.delete', role: 'operator', input: z.object({ id: checkId }) }, async ({ id }, { db, actor, now }) => {
  await deleteCheck(db, actor, id, now);
  revalidatePath('/cron');
  return { id };
});

export const createPingKeyAction = defineAction(
  { name: 'cron.ping_key.create', role: 'admin', input: z.object({ name: z.string().trim().min(1, 'is required').max(100) }) },
  async ({ name }, { db, actor, now }) => {
    const k = await createPingKey(db, actor, name, now);
    revalidatePath('/cron');
    return { id: k.id, name: k.name };
  },
);

export const deletePingKeyAction = defineAction({ name: 'cron.ping_key.delete', role: 'admin', input: z.object({ id: checkId }) }, async ({ id }, { db, actor, now }) => {
  await deletePingKey(db, actor, id, now);
  revalidatePath('/cron');
  return { id };
});
