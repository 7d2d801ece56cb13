/**
 * What a channel is made of, per type: the non-secret settings stored in `config` (and shown),
 * and the secret (webhook URL, SMTP password) stored sealed in `secret` and never shown: a DTO
 * says only whether it is set and, for webhooks, the last characters of the host.
 */
import { z } from 'zod';
import { CHANNEL_TYPES, type ChannelType } from '@/lib/engine/notifications';
import { safeString } from '@/lib/validation';

const name = safeString(80).pipe(z.string().trim().min(1, 'is required'));
const email = safeString(254).pipe(z.string().trim().email('is not an email address'));
const url = safeString(2000).pipe(z.string().trim().url('is not a URL'));
/** Optional secret on update: absent or empty keeps the stored one. */
const keepable = (s: z.ZodString) => z.union([z.literal(''), s]).optional().transform((v) => (v ? v : undefined));

const httpFields = { name, enabled: z.boolean().default(true), url: keepable(z.string()).pipe(url.optional()) };
const emailFields = {
  name,
  enabled: z.boolean().default(true),
  host: safeString(253).pipe(z.string().trim().min(1, 'is required').regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or IP address')),
  port: z.coerce.number().int().min(1).max(65535).default(587),
  /** Implicit TLS (usually port 465). */
  secure: z.boolean().default(false),
  /** Refuse to send unless the server upgrades with STARTTLS (ignored when `secure`). */
  requireTls: z.boolean().default(true),
  user: safeString(254).pipe(z.string().trim()).optional().transform((v) => v || null),
  password: keepable(z.string().max(1000)),
  /** Remove the stored password (SMTP without authentication). */
  clearPassword: z.boolean().default(false),
  from: email,
  to: z.array(email).min(1, 'add at least one recipient').max(50).transform((a) => [...new Set(a)]),
};

export const channelInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('webhook'), ...httpFields }),
  z.object({ type: z.literal('slack'), ...httpFields }),
  z.object({ type: z.literal('email'), ...emailFields }),
]);
export type ChannelInput = z.output<typeof channelInputSchema>;

export interface EmailSettings {
  host: string;
  port: number;
  secure: boolean;
  requireTls: boolean;
  user: string | null;
  from: string;
  to: string[];
}
export type ChannelSettings = Record<string, never> | EmailSettings;

/** The non-secret part of an input, as stored in `config`. */
export function settingsOf(input: ChannelInput): ChannelSettings {
  if (input.type !== 'email') return {};
  const { host, port, secure, requireTls, user, from, to } = input;
  return { host, port, secure, requireTls, user, from, to };
}

/** The secret an input sets: a string to store, null to clear, undefined to keep. */
export function secretOf(input: ChannelInput): string | null | undefined {
  if (input.type === 'email') return input.clearPassword ? null : input.password;
  return input.url;
}

/** What may be shown of a secret: for a webhook, "…" and the host's last 4 characters. */
export function hintOf(type: ChannelType, secret: string | null): string | null {
  if (!secret || type === 'email') return null;
  try {
    return `…${new URL(secret).hostname.slice(-4)}`;
  } catch {
    return null;
  }
}

export const isChannelType = (v: string): v is ChannelType => (CHANNEL_TYPES as readonly string[]).includes(v);

export interface RuleDto {
  id: string;
  projectKey: string | null;
  kinds: string[];
}

/** A channel as every read returns it: never the secret, only whether one is set. */
export interface ChannelDto {
  id: string;
  name: string;
  type: ChannelType;
  enabled: boolean;
  config: ChannelSettings;
  secretSet: boolean;
  secretHint: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  rules: RuleDto[];
}

/** The columns a read may select: everything but `secret`. */
export const CHANNEL_PUBLIC_SELECT = {
  id: true, name: true, type: true, enabled: true, config: true, secretHint: true, createdBy: true, createdAt: true, updatedAt: true,
} as const;

/** For the audit log's before/after: the DTO's shape minus ids and times, secret as set/unset. */
export function auditView(c: Pick<ChannelDto, 'name' | 'type' | 'enabled' | 'config' | 'secretSet'>) {
  return { name: c.name, type: c.type, enabled: c.enabled, config: c.config, secret: c.secretSet ? 'set' : 'not set' };
}
