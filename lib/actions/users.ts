'use server';
import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/auth/action';
import { createUser, newUserSchema, updateUser, updateUserSchema } from '@/lib/services/users';

export const createUserAction = defineAction({ name: 'user.create', role: 'admin', input: newUserSchema }, async (input, { db, actor }) => {
  const user = await createUser(db, actor, input);
  revalidatePath('/settings');
  return user;
});

export const updateUserAction = defineAction({ name: 'user.update', role: 'admin', input: updateUserSchema }, async (input, { db, actor }) => {
  const user = await updateUser(db, actor, input);
  revalidatePath('/settings');
  return user;
});
