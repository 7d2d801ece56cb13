/**
 * A notification as each channel type sends it. Pure: the event in, the bytes out. The JSON
 * webhook body is a public contract (README, "Notifications"): add fields, never rename or
 * remove them without raising `version`.
 */
import { oneLine, plainText, safeJson, slackEscape, truncate } from './escape';
import { EVENT_KINDS, type NotificationEvent } from './kinds';

export const PAYLOAD_VERSION = 1;
const MAX_DETAILS = 10;

export type ChannelType = 'webhook' | 'slack' | 'email';
export const CHANNEL_TYPES: readonly ChannelType[] = ['webhook', 'slack', 'email'];

export interface HttpMessage {
  contentType: 'application/json';
  body: string;
}
export interface EmailMessage {
  subject: string;
  text: string;
}

/** The version-1 webhook body (documented in the README). */
export interface WebhookPayloadV1 {
  version: 1;
  kind: string;
  label: string;
  severity: string;
  eventId: string;
  deliveryId: string;
  occurredAt: string;
  project: string | null;
  subject: { type: string; id: string; name: string };
  title: string;
  summary: string;
  details: { label: string; value: string }[];
  url: string | null;
  test: boolean;
}

function info(e: NotificationEvent) {
  return EVENT_KINDS[e.kind] ?? { label: e.kind, severity: 'info' as const, domain: '' };
}

/** "Test quarantined: <name>" — untrusted name, not yet escaped. */
export function eventTitle(e: NotificationEvent): string {
  return `${e.test ? '[test] ' : ''}${info(e).label}: ${e.subject.name}`;
}

const linkable = (url: string | null): url is string => url !== null && /^https?:\/\/[^\s<>|"]+$/.test(url);

export function renderWebhook(e: NotificationEvent, deliveryId: string): HttpMessage {
  const payload: WebhookPayloadV1 = {
    version: PAYLOAD_VERSION,
    kind: e.kind,
    label: info(e).label,
    severity: info(e).severity,
    eventId: e.eventId,
    deliveryId,
    occurredAt: e.occurredAt,
    project: e.project,
    subject: { type: e.subject.type, id: e.subject.id, name: truncate(e.subject.name, 2000) },
    title: truncate(eventTitle(e), 2000),
    summary: truncate(e.summary, 4000),
    details: e.details.slice(0, MAX_DETAILS).map((d) => ({ label: truncate(d.label, 200), value: truncate(d.value, 2000) })),
    url: linkable(e.url) ? e.url : null,
    test: Boolean(e.test),
  };
  return { contentType: 'application/json', body: safeJson(payload) };
}

/** Slack-compatible incoming-webhook body: `text` (the notification's fallback) and `blocks`. */
export function renderSlack(e: NotificationEvent): HttpMessage {
  const title = slackEscape(eventTitle(e), 300);
  const summary = slackEscape(e.summary, 2500);
  const fields = [
    ...(e.project !== null ? [{ label: 'Project', value: e.project }] : []),
    ...e.details,
  ].slice(0, MAX_DETAILS).map((d) => ({ type: 'mrkdwn', text: `*${slackEscape(oneLine(d.label, 100))}*\n${slackEscape(d.value, 1800)}` }));
  const context = [`\`${e.kind}\``, slackEscape(e.occurredAt, 40)];
  if (linkable(e.url)) context.unshift(`<${e.url}|Open in Steward>`);
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${title}*${summary ? `\n${summary}` : ''}` } }];
  if (fields.length) blocks.push({ type: 'section', fields });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] });
  return { contentType: 'application/json', body: safeJson({ text: `${title}${summary ? ` — ${slackEscape(oneLine(e.summary, 300))}` : ''}`, blocks }) };
}

/**
 * Email: a one-line subject (no CR/LF or other control characters, so nothing can be smuggled
 * into the headers; the transport encodes non-ASCII) and a plain-text body (no HTML to inject).
 */
export function renderEmail(e: NotificationEvent): EmailMessage {
  const subject = oneLine(`[Steward] ${eventTitle(e)}${e.project !== null ? ` (${e.project})` : ''}`, 200);
  const lines = [oneLine(eventTitle(e), 1000), '', plainText(e.summary, 4000), ''];
  if (e.project !== null) lines.push(`Project: ${oneLine(e.project, 200)}`);
  for (const d of e.details.slice(0, MAX_DETAILS)) lines.push(`${oneLine(d.label, 100)}: ${plainText(d.value, 2000)}`);
  if (linkable(e.url)) lines.push('', e.url);
  lines.push('', `-- `, `Sent by Steward: ${e.kind}, event ${oneLine(e.eventId, 100)}, ${oneLine(e.occurredAt, 40)}.`);
  return { subject, text: `${lines.join('\n')}\n` };
}
