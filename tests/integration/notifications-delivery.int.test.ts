// Notification delivery against a real database, a local HTTP receiver and a local SMTP server:
// retry after a 500, Retry-After on 429, a hung receiver times out, 410 is permanent, dead after
// the last attempt, two senders at once send each delivery once, Slack and email bodies, the
// address policy, and "Send test message".
process.env.STEWARD_SECRET = 'integration-secret-for-notifications-0123456789';
process.env.STEWARD_NOTIFY_ALLOW_PRIVATE = '1';
import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NotificationEvent } from '@/lib/engine/notifications';
import { resetEnvCache } from '@/lib/env';
import type { Actor } from '@/lib/services/actor';
import { createChannel } from '@/lib/services/notifications/channels';
import { deliverDue } from '@/lib/services/notifications/deliver';
import { enqueueNotifications } from '@/lib/services/notifications/enqueue';
import { createRule } from '@/lib/services/notifications/rules';
import { sendTest } from '@/lib/services/notifications/send-test';
import { createSender } from '@/lib/services/notifications/transports';
import { createTestDb, usingPostgres, type TestDb } from './helpers';
import { headersOf, startReceiver, startSmtp, type Receiver } from './notify-helpers';

resetEnvCache();
let h: TestDb;
let rx: Receiver;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const admin: Actor = { type: 'user', id: 'u-admin', label: 'admin@example.com', role: 'admin' };
const T0 = new Date('2026-12-03T10:00:00Z');
const MIN = 60_000;
const send = createSender({ allowPrivate: true, timeoutMs: 400 });
const half = () => 0.5;
const deliver = (at: Date, extra: Partial<Parameters<typeof deliverDue>[2]> = {}) => deliverDue(h.db, at, { send, random: half, ...extra });

const HOSTILE = 'test <!here> & @channel\r\nBcc: victim@example.com';
const event = (over: Partial<NotificationEvent> = {}): NotificationEvent => ({
  kind: 'flaky.quarantined', eventId: crypto.randomUUID(), occurredAt: T0.toISOString(), project: 'alpha',
  subject: { type: 'test', id: 't1', name: HOSTILE }, summary: '2 flakes in 7 days', details: [{ label: 'Class', value: 'pkg.Net' }], url: null, ...over,
});

let n = 0;
async function channelTo(path: string, type: 'webhook' | 'slack' = 'webhook') {
  const c = await createChannel(h.db, admin, { type, name: `ch-${++n}`, url: rx.url(path) }, T0);
  await createRule(h.db, admin, { channelId: c.id, projectKey: null, kinds: ['flaky.*'] }, T0);
  return c;
}
const deliveriesOf = (channelId: string) => h.db.notificationDelivery.findMany({ where: { channelId }, orderBy: { createdAt: 'asc' } });

beforeAll(async () => {
  h = await createTestDb();
  rx = await startReceiver();
  smtp = await startSmtp({ user: 'bot', pass: 'smtp-pass-SECRET' });
});
afterAll(async () => {
  await rx?.close();
  await smtp?.close();
  await h?.close();
});
beforeEach(async () => {
  // Each test sees only its own channels and deliveries.
  await h.db.notificationChannel.deleteMany();
});

describe('webhook delivery', () => {
  it('500 then 200: retried after the backoff, delivered once, with the version-1 payload and headers', async () => {
    const c = await channelTo('/retry');
    rx.plan('/retry', { status: 500, body: 'boom' }, { status: 200 });
    expect(await enqueueNotifications(h.db, event(), T0)).toBe(1);
    expect(await deliver(T0)).toMatchObject({ claimed: 1, retrying: 1 });
    let [d] = await deliveriesOf(c.id);
    expect(d).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500: boom', nextAttemptAt: new Date(T0.getTime() + 2 * MIN) });
    expect(await deliver(new Date(T0.getTime() + 2 * MIN - 1))).toMatchObject({ claimed: 0 });
    expect(await deliver(new Date(T0.getTime() + 2 * MIN))).toMatchObject({ delivered: 1 });
    [d] = await deliveriesOf(c.id);
    expect(d).toMatchObject({ status: 'delivered', attempts: 2, lastError: null, lastStatusCode: 200, claimToken: null });
    const hits = rx.hitsOn('/retry');
    expect(hits).toHaveLength(2);
    expect(hits[1]!.headers).toMatchObject({ 'content-type': 'application/json', 'x-steward-event': 'flaky.quarantined', 'x-steward-delivery': d!.id });
    const body = JSON.parse(hits[1]!.body);
    expect(body).toMatchObject({ version: 1, kind: 'flaky.quarantined', deliveryId: d!.id, project: 'alpha', subject: { name: HOSTILE }, test: false });
    expect(hits[1]!.body).not.toContain('<');
  });

  it('429 with Retry-After waits exactly that long', async () => {
    const c = await channelTo('/busy');
    rx.plan('/busy', { status: 429, headers: { 'retry-after': '7' } });
    await enqueueNotifications(h.db, event(), T0);
    await deliver(T0);
    expect((await deliveriesOf(c.id))[0]).toMatchObject({ status: 'failed', lastStatusCode: 429, nextAttemptAt: new Date(T0.getTime() + 7000) });
  });

  it('a receiver that never answers times out and is retried', async () => {
    const c = await channelTo('/hang');
    rx.plan('/hang', 'hang');
    await enqueueNotifications(h.db, event(), T0);
    const started = Date.now();
    await deliver(T0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await deliveriesOf(c.id))[0]).toMatchObject({ status: 'failed', attempts: 1, lastError: 'timed out after 0 s', lastStatusCode: null });
  });

  it('410 is permanent: dead after one attempt, never retried', async () => {
    const c = await channelTo('/gone');
    rx.plan('/gone', { status: 410, body: 'gone' });
    await enqueueNotifications(h.db, event(), T0);
    await deliver(T0);
    expect((await deliveriesOf(c.id))[0]).toMatchObject({ status: 'dead', attempts: 1, lastStatusCode: 410 });
    expect(await deliver(new Date(T0.getTime() + 48 * 60 * MIN))).toMatchObject({ claimed: 0 });
    expect(rx.hitsOn('/gone')).toHaveLength(1);
  });

  it('after the 8th failed attempt the delivery is dead (a dead letter)', async () => {
    const c = await channelTo('/down');
    rx.plan('/down', ...Array.from({ length: 9 }, () => ({ status: 503 })));
    await enqueueNotifications(h.db, event(), T0);
    let at = T0;
    for (let i = 1; i <= 8; i++) {
      await deliver(at);
      const [d] = await deliveriesOf(c.id);
      expect(d!.attempts).toBe(i);
      at = d!.nextAttemptAt;
    }
    const [d] = await deliveriesOf(c.id);
    expect(d).toMatchObject({ status: 'dead', attempts: 8, lastError: 'HTTP 503 (gave up after 8 attempts)' });
    expect((d!.lastAttemptAt!.getTime() - T0.getTime()) / MIN).toBe(1448);
    expect(rx.hitsOn('/down')).toHaveLength(8);
  });

  it('two deliverDue calls at once send each delivery exactly once', async () => {
    const c = await channelTo('/race');
    for (let i = 0; i < 25; i++) await enqueueNotifications(h.db, event(), T0);
    const [a, b] = await Promise.all([deliver(T0, { batchSize: 4 }), deliver(T0, { batchSize: 4 })]);
    expect(a.delivered + b.delivered).toBe(25);
    if (usingPostgres) expect(Math.min(a.claimed, b.claimed)).toBeGreaterThan(0); // really concurrent
    const ids = rx.hitsOn('/race').map((x) => x.headers['x-steward-delivery']);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    expect((await deliveriesOf(c.id)).every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
  });

  it('an abandoned claim is taken again once its lease expires', async () => {
    const c = await channelTo('/lease');
    await enqueueNotifications(h.db, event(), T0);
    await h.db.notificationDelivery.updateMany({ where: { channelId: c.id }, data: { status: 'sending', claimToken: 'dead-worker', claimExpiresAt: new Date(T0.getTime() + MIN) } });
    expect(await deliver(T0)).toMatchObject({ claimed: 0 });
    expect(await deliver(new Date(T0.getTime() + MIN))).toMatchObject({ delivered: 1 });
  });

  it('Slack channels get {text, blocks} with escaped names and no live mention', async () => {
    await channelTo('/slack', 'slack');
    await enqueueNotifications(h.db, event(), T0);
    await deliver(T0);
    const body = JSON.parse(rx.hitsOn('/slack')[0]!.body);
    expect(Object.keys(body)).toEqual(['text', 'blocks']);
    expect(body.text).toContain('test &lt;!here&gt; &amp; @\u200bchannel');
    expect(JSON.stringify(body)).not.toMatch(/<!here>/);
  });
});

describe('address policy at send time', () => {
  it('a host name that resolves to loopback is refused without the switch: dead, nothing sent', async () => {
    const c = await createChannel(h.db, admin, { type: 'webhook', name: 'via-localhost', url: `http://localhost:${rx.port}/private` }, T0);
    await createRule(h.db, admin, { channelId: c.id, kinds: ['flaky.quarantined'] }, T0);
    await enqueueNotifications(h.db, event(), T0);
    await deliverDue(h.db, T0, { send: createSender({ allowPrivate: false }), random: half });
    const [d] = await deliveriesOf(c.id);
    expect(d).toMatchObject({ status: 'dead' });
    expect(d!.lastError).toMatch(/loopback or private address \(set STEWARD_NOTIFY_ALLOW_PRIVATE=1/);
    expect(rx.hitsOn('/private')).toHaveLength(0);
  });
});

describe('email', () => {
  it('sends through SMTP with the password, to every recipient, with a one-line subject', async () => {
    const c = await createChannel(h.db, admin, {
      type: 'email', name: 'mail', host: '127.0.0.1', port: smtp.port, secure: false, requireTls: false, user: 'bot', password: 'smtp-pass-SECRET',
      from: 'steward@example.com', to: ['a@example.com', 'b@example.com'],
    }, T0);
    await createRule(h.db, admin, { channelId: c.id, kinds: ['flaky.quarantined'] }, T0);
    await enqueueNotifications(h.db, event(), T0);
    expect(await deliver(T0)).toMatchObject({ delivered: 1 });
    expect(smtp.mails).toHaveLength(1);
    const m = smtp.mails[0]!;
    expect(m).toMatchObject({ from: 'steward@example.com', to: ['a@example.com', 'b@example.com'], user: 'bot' });
    const headers = headersOf(m.raw);
    expect(headers.filter(([k]) => k === 'subject')).toEqual([['subject', '[Steward] Test quarantined: test <!here> & @channel Bcc: victim@example.com (alpha)']]);
    expect(headers.some(([k]) => k === 'bcc')).toBe(false);
    expect(m.raw).toContain('2 flakes in 7 days');
    expect(m.raw).toContain('Project: alpha');
  });

  it('a wrong password is a permanent SMTP failure, with the server\'s code', async () => {
    const c = await createChannel(h.db, admin, { type: 'email', name: 'mail-bad', host: '127.0.0.1', port: smtp.port, requireTls: false, user: 'bot', password: 'wrong', from: 'steward@example.com', to: ['a@example.com'] }, T0);
    const r = await sendTest(h.db, admin, c.id, T0, { send });
    expect(r).toMatchObject({ status: 'dead', statusCode: 535 });
  });
});

describe('send test message', () => {
  it('delivers one steward.test message at once and logs it; a failing one is dead with the reason, not retried', async () => {
    const ok = await createChannel(h.db, admin, { type: 'webhook', name: 'test-ok', url: rx.url('/test-ok') }, T0);
    const r = await sendTest(h.db, admin, ok.id, T0, { send });
    expect(r).toMatchObject({ status: 'delivered', statusCode: 200, error: null });
    expect(JSON.parse(rx.hitsOn('/test-ok')[0]!.body)).toMatchObject({ kind: 'steward.test', test: true, subject: { type: 'channel', name: 'test-ok' } });
    rx.plan('/test-bad', { status: 500 });
    const bad = await createChannel(h.db, admin, { type: 'webhook', name: 'test-bad', url: rx.url('/test-bad') }, T0);
    expect(await sendTest(h.db, admin, bad.id, T0, { send })).toMatchObject({ status: 'dead', statusCode: 500 });
    expect(await h.db.auditEvent.count({ where: { action: 'notification.channel.test', targetId: { in: [ok.id, bad.id] } } })).toBe(2);
  });
});
