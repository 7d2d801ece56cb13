'use server';
/**
 * Notification settings. Channel and rule changes and "Send test" are admin-only; the delivery
 * log is read on the page (operators and admins). The services parse the channel input
 * themselves (per type), so the action passes it through as given.
 */
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { createChannel, deleteChannel, setChannelEnabled, updateChannel } from '@/lib/services/notifications/channels';
import { createRule, deleteRule, ruleInputSchema } from '@/lib/services/notifications/rules';
import { sendTest } from '@/lib/services/notifications/send-test';
import { createSender } from '@/lib/services/notifications/transports';

const PATH = '/settings/notifications';
const channelId = z.string().uuid('is not a channel id');

export const createChannelAction = defineAction({ name: 'notification.channel.create', role: 'admin', input: z.object({ channel: z.unknown() }) }, async ({ channel }, { db, actor, now }) => {
  const c = await createChannel(db, actor, channel, now);
  revalidatePath(PATH);
  return c;
});

export const updateChannelAction = defineAction({ name: 'notification.channel.update', role: 'admin', input: z.object({ channelId, channel: z.unknown() }) }, async (input, { db, actor, now }) => {
  const c = await updateChannel(db, actor, input.channelId, input.channel, now);
  revalidatePath(PATH);
  return c;
});

export const setChannelEnabledAction = defineAction({ name: 'notification.channel.enable', role: 'admin', input: z.object({ channelId, enabled: z.boolean() }) }, async (input, { db, actor, now }) => {
  const c = await setChannelEnabled(db, actor, input.channelId, input.enabled, now);
  revalidatePath(PATH);
  return c;
});

export const deleteChannelAction = defineAction({ name: 'notification.channel.delete', role: 'admin', input: z.object({ channelId }) }, async (input, { db, actor, now }) => {
  const r = await deleteChannel(db, actor, input.channelId, now);
  revalidatePath(PATH);
  return r;
});

export const createRuleAction = defineAction({ name: 'notification.rule.create', role: 'admin', input: ruleInputSchema }, async (input, { db, actor, now }) => {
  const r = await createRule(db, actor, input, now);
  revalidatePath(PATH);
  return r;
});

export const deleteRuleAction = defineAction({ name: 'notification.rule.delete', role: 'admin', input: z.object({ ruleId: z.string().uuid() }) }, async (input, { db, actor, now }) => {
  const r = await deleteRule(db, actor, input.ruleId, now);
  revalidatePath(PATH);
  return r;
});

/** Sends at once (up to the 10 s transport timeout) and reports the outcome; the log shows it too. */
export const sendTestAction = defineAction({ name: 'notification.channel.test', role: 'admin', input: z.object({ channelId }) }, async (input, { db, actor, now }) => {
  const r = await sendTest(db, actor, input.channelId, now, { send: createSender() });
  revalidatePath(PATH);
  return r;
});
