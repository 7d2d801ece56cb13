// The notification outbox and channel secrets against a real database: a rolled-back evaluation
// enqueues nothing, an auto-quarantine through ingestResults does, disabled channels and rules
// by project and kind filter, and no secret appears in any read, audit row or delivery error.
process.env.STEWARD_SECRET = 'integration-secret-for-notifications-0123456789';
process.env.STEWARD_NOTIFY_ALLOW_PRIVATE = '1';
import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db/client';
import { resetEnvCache } from '@/lib/env';
import type { Actor } from '@/lib/services/actor';
import { listAudit } from '@/lib/services/audit';
import { applyChange, type Change, type TestRow } from '@/lib/services/flaky/evaluate-change';
import { ingestResults } from '@/lib/services/flaky/ingest';
import { createProject } from '@/lib/services/flaky/projects';
import { quarantineTest } from '@/lib/services/flaky/quarantine';
import { chunksOf } from '@/lib/services/flaky/read-upload';
import { createChannel, deleteChannel, getChannel, listChannels, setChannelEnabled, updateChannel } from '@/lib/services/notifications/channels';
import { deliverDue } from '@/lib/services/notifications/deliver';
import { listDeliveries } from '@/lib/services/notifications/deliveries';
import { enqueueNotifications } from '@/lib/services/notifications/enqueue';
import { testEvent } from '@/lib/services/notifications/flaky-events';
import { createRule } from '@/lib/services/notifications/rules';
import { createSender } from '@/lib/services/notifications/transports';
import { bytes, junitXml } from '../support/junit-xml';
import { createTestDb, serviceError, type TestDb } from './helpers';
import { startReceiver, type Receiver } from './notify-helpers';

resetEnvCache();
let h: TestDb;
let rx: Receiver;
const admin: Actor = { type: 'user', id: 'u-admin', label: 'admin@example.com', role: 'admin' };
const ci = { type: 'token', id: 'tok', label: 'token:ci', scopes: ['ingest'], origin: null } satisfies Actor;
const T0 = new Date('2026-12-03T10:00:00Z');
const DAY = 86_400_000;
const ev = (kind: string, project: string | null) => testEvent({ kind, reason: 'r', actorLabel: 'x', project: project ?? 'none', test: { id: crypto.randomUUID(), name: 'n', classname: 'c' } }, T0)!;

beforeAll(async () => {
  h = await createTestDb();
  rx = await startReceiver();
  for (const key of ['alpha', 'beta']) await createProject(h.db, admin, { key, name: key }, T0);
});
afterAll(async () => {
  await rx?.close();
  await h?.close();
});
beforeEach(async () => {
  await h.db.notificationChannel.deleteMany();
});

async function hook(name: string, rule: { projectKey?: string | null; kinds: string[] } = { kinds: ['flaky.*'] }) {
  const c = await createChannel(h.db, admin, { type: 'webhook', name, url: rx.url(`/${name}`) }, T0);
  await createRule(h.db, admin, { channelId: c.id, ...rule }, T0);
  return c;
}

describe('outbox', () => {
  it('a rolled-back evaluation enqueues nothing; the same change committed enqueues one delivery', async () => {
    const c = await hook('rollback');
    await ingestResults(h.db, ci, { project: 'alpha', meta: { commit: 'c1', runId: '1' }, files: [{ name: 'j.xml', chunks: chunksOf(bytes(junitXml([{ name: 'victim' }]))) }] }, { now: T0 });
    const t = await h.db.testCase.findFirstOrThrow({ where: { name: 'victim' } });
    const row = t as unknown as TestRow;
    const change: Change = {
      data: { status: 'quarantined', quarantinedAt: T0, quarantinedBy: 'policy', quarantineReason: 'flaky' }, ticket: true,
      events: [{ kind: 'quarantined', reason: 'flaky', before: { status: 'active' }, after: { status: 'quarantined' } }],
      lastFlakeAt: null, greenStreak: 0, eligibleAt: null,
    };
    const summary = { evaluated: 0, quarantined: [], unquarantined: [], eligible: [], broken: [], recovered: [] };
    // The transaction fails after everything in it ran (as a failing ticket insert would).
    const failing = { $transaction: (fn: (tx: unknown) => Promise<unknown>) => h.db.$transaction(async (tx) => { await fn(tx); throw new Error('boom'); }) } as unknown as Db;
    await expect(applyChange(failing, { key: 'alpha', codeowners: null }, row, change, T0, summary)).rejects.toThrow('boom');
    expect(await h.db.notificationDelivery.count({ where: { channelId: c.id } })).toBe(0);
    expect(await h.db.testEvent.count({ where: { testId: t.id } })).toBe(0);
    await applyChange(h.db, { key: 'alpha', codeowners: null }, row, change, T0, summary);
    const ds = await h.db.notificationDelivery.findMany({ where: { channelId: c.id } });
    expect(ds.map((d) => [d.kind, d.subjectId, d.projectKey, d.status])).toEqual([['flaky.quarantined', t.id, 'alpha', 'pending']]);
  });

  it('an auto-quarantine through ingestResults produces a delivery, sent by the job', async () => {
    const c = await hook('auto', { projectKey: 'beta', kinds: ['flaky.quarantined'] });
    const flaky = (commit: string, at: number) =>
      ingestResults(h.db, ci, { project: 'beta', meta: { commit, branch: 'main', runId: commit }, files: [{ name: 'j.xml', chunks: chunksOf(bytes(junitXml([{ name: 'wobbly <!here>', attempts: ['fail', 'pass'] }]))) }] }, { now: new Date(at) });
    await flaky('f1', T0.getTime() + DAY);
    expect(await h.db.notificationDelivery.count({ where: { channelId: c.id } })).toBe(0);
    const r = await flaky('f2', T0.getTime() + 2 * DAY);
    expect(r.evaluation.quarantined).toHaveLength(1);
    const [d] = await h.db.notificationDelivery.findMany({ where: { channelId: c.id } });
    expect(d).toMatchObject({ kind: 'flaky.quarantined', subjectId: r.evaluation.quarantined[0], projectKey: 'beta', status: 'pending' });
    await deliverDue(h.db, new Date(T0.getTime() + 2 * DAY), { send: createSender({ allowPrivate: true }) });
    const body = JSON.parse(rx.hitsOn('/auto')[0]!.body);
    expect(body).toMatchObject({ kind: 'flaky.quarantined', project: 'beta', subject: { type: 'test', name: 'wobbly <!here>' } });
    expect(body.summary).toMatch(/^2 flakes in 7 days/);
  });

  it('a manual quarantine notifies too', async () => {
    const c = await hook('manual', { projectKey: 'alpha', kinds: ['flaky.quarantined'] });
    await ingestResults(h.db, ci, { project: 'alpha', meta: { commit: 'm1', runId: 'm1' }, files: [{ name: 'j.xml', chunks: chunksOf(bytes(junitXml([{ name: 'by-hand' }]))) }] }, { now: T0 });
    const t = await h.db.testCase.findFirstOrThrow({ where: { name: 'by-hand' } });
    await quarantineTest(h.db, { ...admin, role: 'operator' }, { testId: t.id, reason: 'noisy' }, T0);
    expect(await h.db.notificationDelivery.count({ where: { channelId: c.id, subjectId: t.id } })).toBe(1);
  });

  it('a disabled channel enqueues nothing; rules filter by project and kind', async () => {
    const off = await hook('off');
    await setChannelEnabled(h.db, admin, off.id, false, T0);
    const alphaQ = await hook('alpha-q', { projectKey: 'alpha', kinds: ['flaky.quarantined'] });
    const all = await hook('all-broken', { projectKey: null, kinds: ['flaky.broken'] });
    await enqueueNotifications(h.db, [ev('quarantined', 'alpha'), ev('quarantined', 'beta'), ev('broken', 'beta'), ev('recovered', 'alpha')], T0);
    const by = async (id: string) => (await h.db.notificationDelivery.findMany({ where: { channelId: id } })).map((d) => `${d.kind}/${d.projectKey}`);
    expect(await by(off.id)).toEqual([]);
    expect(await by(alphaQ.id)).toEqual(['flaky.quarantined/alpha']);
    expect(await by(all.id)).toEqual(['flaky.broken/beta']);
  });

  it('refuses bad rules and targets by field', async () => {
    const c = await hook('validate');
    expect((await serviceError(() => createRule(h.db, admin, { channelId: c.id, kinds: ['cron.late'] }))).details?.[0]?.field).toBe('kinds[0]');
    expect((await serviceError(() => createRule(h.db, admin, { channelId: c.id, projectKey: 'nope', kinds: ['flaky.*'] }))).details?.[0]).toEqual({ field: 'projectKey', message: 'no such project' });
    const metadata = await serviceError(() => createChannel(h.db, admin, { type: 'webhook', name: 'imds', url: 'http://169.254.169.254/latest/meta-data' }));
    expect(metadata.details?.[0]).toMatchObject({ field: 'url', message: expect.stringMatching(/link-local, metadata/) });
    expect((await serviceError(() => createChannel(h.db, admin, { type: 'webhook', name: 'creds', url: 'https://u:p@hooks.example.com/x' }))).details?.[0]?.field).toBe('url');
    expect((await serviceError(() => createChannel(h.db, admin, { type: 'webhook', name: 'ftp', url: 'ftp://hooks.example.com/x' }))).details?.[0]?.field).toBe('url');
    expect((await serviceError(() => createChannel(h.db, admin, { type: 'webhook', name: 'VALIDATE', url: rx.url('/x') }))).details?.[0]).toEqual({ field: 'name', message: 'another channel has this name' });
  });
});

describe('secrets', () => {
  const HOOK_TOKEN = 'T0KEN-b7c1e9d4';
  const SMTP_PW = 'pw-SECRET-4455';
  it('never appear in a read, an audit row, a delivery or its error; updating without them keeps them', async () => {
    rx.plan(`/hooks/${HOOK_TOKEN}`, { status: 404, body: `Cannot POST /hooks/${HOOK_TOKEN}` });
    const w = await createChannel(h.db, admin, { type: 'webhook', name: 'secret-hook', url: rx.url(`/hooks/${HOOK_TOKEN}`) }, T0);
    await createRule(h.db, admin, { channelId: w.id, kinds: ['flaky.*'] }, T0);
    const m = await createChannel(h.db, admin, { type: 'email', name: 'secret-mail', host: 'smtp.example.com', user: 'bot', password: SMTP_PW, from: 's@example.com', to: ['x@example.com'] }, T0);
    expect(w).toMatchObject({ secretSet: true, secretHint: '….0.1' });
    expect(m).toMatchObject({ secretSet: true, secretHint: null });
    // Update without the secret keeps it; the stored value is sealed, not the plain text.
    const kept = await updateChannel(h.db, admin, w.id, { type: 'webhook', name: 'secret-hook-2', url: '' }, T0);
    expect(kept.secretSet).toBe(true);
    await updateChannel(h.db, admin, m.id, { type: 'email', name: 'secret-mail', host: 'smtp.example.com', user: 'bot', from: 's@example.com', to: ['x@example.com'] }, T0);
    const stored = await h.db.notificationChannel.findMany({ select: { secret: true } });
    expect(stored.every((s) => s.secret?.startsWith('v1.'))).toBe(true);
    await enqueueNotifications(h.db, ev('quarantined', 'alpha'), T0);
    await deliverDue(h.db, T0, { send: createSender({ allowPrivate: true }) });
    const reads = JSON.stringify([
      await listChannels(h.db), await getChannel(h.db, w.id), await getChannel(h.db, m.id),
      await listAudit(h.db, { page: 1, pageSize: 200 }), await listDeliveries(h.db, { page: 1, pageSize: 200 }),
      await h.db.notificationDelivery.findMany(), stored,
    ]);
    expect(reads).not.toContain(HOOK_TOKEN);
    expect(reads).not.toContain(SMTP_PW);
    const [d] = await h.db.notificationDelivery.findMany({ where: { channelId: w.id } });
    expect(d).toMatchObject({ status: 'dead', lastStatusCode: 404, lastError: 'HTTP 404: Cannot POST /[secret]' });
    expect(rx.hitsOn(`/hooks/${HOOK_TOKEN}`)).toHaveLength(1); // the kept secret was the one used
    // Clearing the SMTP password is explicit; deleting the channel is audited without it.
    expect((await updateChannel(h.db, admin, m.id, { type: 'email', name: 'secret-mail', host: 'smtp.example.com', from: 's@example.com', to: ['x@example.com'], clearPassword: true }, T0)).secretSet).toBe(false);
    await deleteChannel(h.db, admin, w.id, T0);
    expect(JSON.stringify(await listAudit(h.db, { page: 1, pageSize: 200 }))).not.toContain(HOOK_TOKEN);
  });

  it('a secret copied onto another channel does not open (the channel id is authenticated)', async () => {
    const a = await createChannel(h.db, admin, { type: 'webhook', name: 'copy-a', url: rx.url('/copy-a') }, T0);
    const b = await createChannel(h.db, admin, { type: 'webhook', name: 'copy-b', url: rx.url('/copy-b') }, T0);
    await createRule(h.db, admin, { channelId: b.id, kinds: ['flaky.*'] }, T0);
    const sa = await h.db.notificationChannel.findUniqueOrThrow({ where: { id: a.id }, select: { secret: true } });
    await h.db.notificationChannel.update({ where: { id: b.id }, data: { secret: sa.secret } });
    await enqueueNotifications(h.db, ev('broken', 'alpha'), T0);
    await deliverDue(h.db, T0, { send: createSender({ allowPrivate: true }) });
    const [d] = await h.db.notificationDelivery.findMany({ where: { channelId: b.id } });
    expect(d).toMatchObject({ status: 'dead', lastError: expect.stringMatching(/cannot be decrypted/) });
    expect(rx.hitsOn('/copy-a')).toHaveLength(0);
  });
});
