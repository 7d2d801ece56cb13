/**
 * Channel secrets (webhook URLs, which embed their token; SMTP passwords) are sealed at rest with
 * AES-256-GCM. The key is derived with HKDF-SHA-256 from the app secret (STEWARD_SECRET, or the
 * generated one in the data directory: lib/auth/secret.ts), and the channel id is the additional
 * authenticated data, so a sealed value copied onto another channel does not open. Changing
 * STEWARD_SECRET makes stored secrets unreadable: their deliveries fail with a message saying
 * to enter the secret again.
 */
import crypto from 'node:crypto';
import { getAuthSecret } from '@/lib/auth/secret';

const VERSION = 'v1';
let cachedKey: { from: string; key: Buffer } | null = null;

function key(): Buffer {
  const secret = getAuthSecret();
  if (cachedKey?.from !== secret) {
    cachedKey = { from: secret, key: Buffer.from(crypto.hkdfSync('sha256', secret, 'steward', 'notification-channel-secret/v1', 32)) };
  }
  return cachedKey.key;
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
export function sealSecret(plain: string, channelId: string): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', key(), iv);
  c.setAAD(Buffer.from(channelId));
  const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return [VERSION, iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export class SecretUnreadableError extends Error {
  constructor() {
    super('the channel secret cannot be decrypted (was STEWARD_SECRET changed?): enter it again');
  }
}

export function openSecret(sealed: string, channelId: string): string {
  const [v, iv, tag, ct] = sealed.split('.');
  if (v !== VERSION || !iv || !tag || ct === undefined) throw new SecretUnreadableError();
  try {
    const d = crypto.createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
    d.setAAD(Buffer.from(channelId));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
  } catch {
    throw new SecretUnreadableError();
  }
}
