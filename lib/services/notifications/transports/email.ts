/**
 * Email over SMTP with nodemailer. The relay's host is resolved first and every address checked
 * (link-local and metadata refused; a local relay is fine), then nodemailer connects to the
 * checked address with the host name kept for TLS (SNI and certificate check).
 * `secure` is implicit TLS (port 465); otherwise STARTTLS is used when offered, and required
 * when `requireTls` is set (the default).
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import nodemailer from 'nodemailer';
import type { AttemptOutcome, EmailMessage } from '@/lib/engine/notifications';
import { relayRefusal } from './address-policy';

export const SMTP_TIMEOUT_MS = 10_000;

export interface EmailConfig {
  host: string;
  port: number;
  secure: boolean;
  requireTls: boolean;
  user: string | null;
  from: string;
  to: string[];
}

async function resolveRelay(host: string): Promise<{ address: string } | { refused: string }> {
  const addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  const refusal = addresses.map((a) => relayRefusal(a)).find((r) => r !== null);
  if (refusal || !addresses.length) return { refused: `SMTP host ${refusal ?? `${host} has no address`}` };
  return { address: addresses[0]! };
}

export async function sendEmail(cfg: EmailConfig, password: string | null, msg: EmailMessage, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<AttemptOutcome> {
  const timeoutMs = opts.timeoutMs ?? SMTP_TIMEOUT_MS;
  let relay: Awaited<ReturnType<typeof resolveRelay>>;
  try {
    relay = await resolveRelay(cfg.host);
  } catch (e) {
    return { type: 'network', message: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
  if ('refused' in relay) return { type: 'refused', message: relay.refused };
  const transport = nodemailer.createTransport({
    host: relay.address,
    port: cfg.port,
    secure: cfg.secure,
    requireTLS: !cfg.secure && cfg.requireTls,
    auth: cfg.user ? { user: cfg.user, pass: password ?? '' } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    tls: { servername: net.isIP(cfg.host) ? undefined : cfg.host, minVersion: 'TLSv1.2' },
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const onAbort = () => transport.close();
  opts.signal?.addEventListener('abort', onAbort);
  try {
    await transport.sendMail({ from: cfg.from, to: cfg.to, subject: msg.subject, text: msg.text, disableFileAccess: true, disableUrlAccess: true });
    return { type: 'sent' };
  } catch (e) {
    const err = e as { responseCode?: number; response?: string; code?: string; message?: string };
    if (typeof err.responseCode === 'number') return { type: 'smtp', code: err.responseCode, message: err.response ?? err.message ?? '' };
    if (err.code === 'ETIMEDOUT') return { type: 'timeout', afterMs: timeoutMs };
    return { type: 'network', message: `${err.code ? `${err.code}: ` : ''}${err.message ?? 'failed'}` };
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    transport.close();
  }
}
