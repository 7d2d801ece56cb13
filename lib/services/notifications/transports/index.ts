/** Sends one rendered notification through its channel's transport. Injected into deliverDue so tests can replace it. */
import { getEnv } from '@/lib/env';
import { renderEmail, renderSlack, renderWebhook, type AttemptOutcome, type ChannelType, type NotificationEvent } from '@/lib/engine/notifications';
import type { EmailSettings } from '../channel-config';
import { sendEmail } from './email';
import { postJson } from './http';

export interface OpenChannel {
  id: string;
  type: ChannelType;
  config: unknown;
  /** The opened secret: webhook URL or SMTP password. */
  secret: string | null;
}

export interface SendRequest {
  channel: OpenChannel;
  event: NotificationEvent;
  deliveryId: string;
  signal?: AbortSignal;
}

export type SendFn = (req: SendRequest) => Promise<AttemptOutcome>;

export function createSender(opts: { allowPrivate?: boolean; timeoutMs?: number } = {}): SendFn {
  return async ({ channel, event, deliveryId, signal }) => {
    const allowPrivate = opts.allowPrivate ?? getEnv().STEWARD_NOTIFY_ALLOW_PRIVATE;
    if (channel.type === 'email') return sendEmail(channel.config as EmailSettings, channel.secret, renderEmail(event), { signal, timeoutMs: opts.timeoutMs });
    if (!channel.secret) return { type: 'refused', message: 'the channel has no webhook URL' };
    const msg = channel.type === 'slack' ? renderSlack(event) : renderWebhook(event, deliveryId);
    const headers: Record<string, string> = channel.type === 'webhook' ? { 'x-steward-event': event.kind, 'x-steward-delivery': deliveryId } : {};
    return postJson(channel.secret, msg.body, { signal, allowPrivate, timeoutMs: opts.timeoutMs, headers });
  };
}
