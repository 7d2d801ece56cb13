/**
 * The perf server actions called by an attacker (the routes are in perf-authz.int.test.ts): no
 * session, a viewer replaying the exact calls an operator's page makes, a foreign Origin riding on a
 * cookie, forged X-Forwarded-For, invalid fields, a gzip bomb and a hostile file. Exact results and
 * exact audit rows; nothing in the perf tables changes on a refusal.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PEER_HEADER, peerHeaderValueForTests } from '@/lib/auth/peer-address';
import type { Actor } from '@/lib/services/actor';
import { createProject } from '@/lib/services/flaky/projects';
import { refreshBaseline } from '@/lib/services/perf/baselines';
import { ingestPerfRun } from '@/lib/services/perf/ingest';
import { auditFacts, BASE, prepareEnv, type Harness } from './authz-harness';

vi.mock('server-only', () => ({}));
const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
vi.mock('next/headers', () => ({ headers: async () => requestHeaders.current, cookies: async () => ({ get: () => undefined, set: () => undefined }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

prepareEnv();
const { startHarness } = await import('./authz-harness');
const actions = await import('@/lib/actions/perf');

let x: Harness;
let key = { metricId: '', testbedId: '', branch: 'main' };
let regressionId = '';
const as = (role: keyof Harness['users'] | null, extra: Record<string, string> = {}) => {
  requestHeaders.current = new Headers({ ...(role ? { cookie: x.users[role].cookie } : {}), origin: BASE, ...extra });
};
const peer = (a: string) => ({ [PEER_HEADER]: peerHeaderValueForTests(a) });
const seed = (v: number) => JSON.stringify({ verify_p95_ms: v });
const state = async () => ({
  runs: await x.h.db.perfRun.findMany({ orderBy: { id: 'asc' } }),
  results: await x.h.db.perfResult.count(),
  metrics: await x.h.db.perfMetric.findMany({ orderBy: { id: 'asc' } }),
  testbeds: await x.h.db.perfTestbed.count(),
  baselines: await x.h.db.perfBaseline.findMany({ orderBy: { id: 'asc' } }),
  heads: await x.h.db.perfBaselineHead.findMany({ orderBy: { metricId: 'asc' } }),
  regressions: await x.h.db.perfRegression.findMany({ orderBy: { id: 'asc' } }),
  notifications: await x.h.db.notificationDelivery.count(),
});

beforeAll(async () => {
  x = await startHarness();
  const cli: Actor = { type: 'cli', id: null, label: 'cli:authz', origin: 'cli' };
  await createProject(x.h.db, cli, { key: 'alpha', name: 'alpha' });
  const ci: Actor = { type: 'token', id: 't', label: 'token:seed', scopes: ['ingest'], origin: null };
  let clock = Date.now() - 30 * 3_600_000;
  const send = (v: number) => ingestPerfRun(x.h.db, ci, { project: 'alpha', profile: 'main', branch: 'main', testbed: { runner: 'gha' }, files: [{ name: 'p.json', content: seed(v) }] }, { now: new Date((clock += 3_600_000)) });
  for (const v of [6.0, 6.1, 5.9, 6.0, 6.05, 5.95, 6.0, 6.1, 5.9, 6.0]) await send(v);
  const metric = await x.h.db.perfMetric.findFirstOrThrow({ where: { name: 'verify' } });
  const testbed = await x.h.db.perfTestbed.findFirstOrThrow();
  key = { metricId: metric.id, testbedId: testbed.id, branch: 'main' };
  await refreshBaseline(x.h.db, cli, { project: 'alpha', key, note: 'first baseline' }, new Date(clock));
  // Two runs 20 % slower: a confirmed (open) regression.
  await send(7.2);
  await send(7.3);
  regressionId = (await x.h.db.perfRegression.findFirstOrThrow({ where: { status: 'open' } })).id;
});
afterAll(async () => {
  await x?.close();
});
beforeEach(async () => {
  requestHeaders.current = new Headers();
  await x.h.db.auditEvent.deleteMany();
});

const file = (name = 'perf.json', content = seed(6)) => new File([content], name);
/** Each perf action with the input an operator's page sends, and the name its refusal is audited under. */
const calls = () => [
  { name: 'perf.ingest', run: () => actions.uploadPerfRunAction({ project: 'alpha', profile: 'main', branch: 'main', runner: 'gha', files: [file()] }) },
  { name: 'perf.baseline.refresh', run: () => actions.refreshBaselineAction({ project: 'alpha', key, note: 'refresh', expectedVersion: 1 }) },
  { name: 'perf.baseline.rollback', run: () => actions.rollbackBaselineAction({ project: 'alpha', key, toVersion: 1, note: 'back', expectedVersion: 1 }) },
  { name: 'perf.baseline.refresh', run: () => actions.refreshAllReadyAction({ project: 'alpha', branch: 'main', note: 'all ready' }) },
  { name: 'perf.regression.update', run: () => actions.setRegressionStatusAction({ project: 'alpha', id: regressionId, status: 'acknowledged', note: 'on it' }) },
];

describe('perf server actions', () => {
  it('no session (or a forged cookie) → unauthenticated, unaudited; nothing changes', async () => {
    const before = await state();
    for (const c of calls()) {
      as(null);
      expect(await c.run(), c.name).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } });
      as(null, { cookie: 'better-auth.session_token=forged.sig' });
      expect(await c.run(), c.name).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } });
    }
    expect(await auditFacts(x.h)).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('a viewer replaying each call → forbidden, one denied row each naming both roles, the origin is the TCP peer; nothing changes', async () => {
    const before = await state();
    for (const c of calls()) {
      as('viewer', { 'x-forwarded-for': '203.0.113.5', 'x-real-ip': '203.0.113.6', ...peer('192.0.2.70') });
      expect(await c.run(), c.name).toEqual({ ok: false, error: { code: 'forbidden', message: 'This needs the operator role.' } });
    }
    const v = x.users.viewer.email;
    const row = (name: string, count = 1) => ({ action: name, outcome: 'denied', actor: v, summary: `Refused: ${name} needs the operator role; ${v} is viewer`, origin: '192.0.2.70', count });
    // Refresh and refresh-all are both perf.baseline.refresh: the audit log folds the identical
    // refusals into one row counted twice (lib/services/audit.ts).
    expect(await auditFacts(x.h)).toEqual([row('perf.ingest'), row('perf.baseline.refresh', 2), row('perf.baseline.rollback'), row('perf.regression.update')]);
    expect(await state()).toEqual(before);
  });

  it('a foreign Origin with an operator (or admin) cookie → forbidden before anything runs; unaudited; nothing changes', async () => {
    const before = await state();
    for (const c of calls()) for (const origin of ['http://evil.example', 'null', 'http://steward.test.evil.example', 'https://steward.test']) {
      as('operator', { origin });
      expect(await c.run(), `${c.name} from ${origin}`).toEqual({ ok: false, error: { code: 'forbidden', message: `Cross-site request refused: Origin ${origin} is not this site.` } });
    }
    as('admin', { origin: 'http://evil.example' });
    expect((await calls()[4]!.run()).ok).toBe(false);
    expect(await auditFacts(x.h)).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('invalid fields → invalid naming the field, unaudited; nothing changes', async () => {
    const before = await state();
    as('operator');
    const bad = [
      [actions.refreshBaselineAction({ project: 'alpha', key: { ...key, metricId: 'x' }, note: 'n', expectedVersion: 1 }), 'key.metricId'],
      [actions.refreshBaselineAction({ project: 'alpha', key, note: 'n', expectedVersion: -1 }), 'expectedVersion'],
      [actions.rollbackBaselineAction({ project: 'alpha', key, toVersion: 0, note: 'n', expectedVersion: 1 }), 'toVersion'],
      [actions.refreshAllReadyAction({ project: 'alpha', branch: ' ', note: 'n' }), 'branch'],
      [actions.setRegressionStatusAction({ project: 'alpha', id: regressionId, status: 'open' as never, note: 'n' }), 'status'],
      [actions.setRegressionStatusAction({ project: 'alpha', id: regressionId, status: 'fixed', note: 'x'.repeat(2001) }), 'note'],
      [actions.uploadPerfRunAction({ project: 'alpha', profile: 'Main Line', files: [file()] }), 'profile'],
      [actions.uploadPerfRunAction({ project: 'alpha', profile: 'main', files: [] }), 'files'],
      [actions.uploadPerfRunAction({ project: 'alpha', profile: 'main', files: Array.from({ length: 21 }, () => file()) }), 'files'],
      [actions.uploadPerfRunAction({ project: 'alpha', profile: 'main', files: ['x' as never] }), 'files[0]'],
      [actions.uploadPerfRunAction({ project: 'a/../b', profile: 'main', files: [file()] }), 'project'],
    ] as const;
    for (const [p, field] of bad) {
      const r = await p;
      expect(r.ok, field).toBe(false);
      expect(!r.ok && [r.error.code, r.error.details?.[0]?.field], field).toEqual(['invalid', field]);
    }
    expect(await auditFacts(x.h)).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('a gzip bomb, a corrupt .gz and a hostile file → invalid naming the file; nothing stored', async () => {
    const before = await state();
    as('operator');
    const bomb = zlib.gzipSync(Buffer.alloc(17 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const msg = (n: string) => `files: ${n}: not a gzip file, or over 16 MB unzipped; upload large files from CI with steward perf report`;
    expect(await actions.uploadPerfRunAction({ project: 'alpha', profile: 'main', files: [new File([bomb], 'bomb.json.gz')] })).toEqual({ ok: false, error: { code: 'invalid', message: msg('bomb.json.gz'), details: [{ field: 'files', message: 'bomb.json.gz: not a gzip file, or over 16 MB unzipped; upload large files from CI with steward perf report' }] } });
    expect(await actions.uploadPerfRunAction({ project: 'alpha', profile: 'main', files: [new File(['not gzip'], 'x.json.gz')] })).toMatchObject({ ok: false, error: { code: 'invalid', details: [{ field: 'files' }] } });
    const deep = await actions.uploadPerfRunAction({ project: 'alpha', profile: 'main', files: [file('deep.json', `[${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}]`)] });
    expect(deep).toEqual({ ok: false, error: { code: 'invalid', message: 'files[0] line 1, column 317: deep.json: line 1, column 317: is nested more than 64 levels deep', details: [{ field: 'files[0] line 1, column 317', message: 'deep.json: line 1, column 317: is nested more than 64 levels deep' }] } });
    expect(await auditFacts(x.h)).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('an operator acknowledges (audited with the TCP peer, not X-Forwarded-For); the replay is a conflict and changes nothing', async () => {
    as('operator', { 'x-forwarded-for': '203.0.113.9', ...peer('192.0.2.71') });
    const ack = calls()[4]!;
    expect(await ack.run()).toEqual({ ok: true, data: { id: regressionId, status: 'acknowledged' } });
    const after = await state();
    expect(await ack.run()).toEqual({ ok: false, error: { code: 'conflict', message: 'This regression is already acknowledged.' } });
    as('viewer', peer('192.0.2.72'));
    expect((await ack.run()).ok).toBe(false);
    expect(await state()).toEqual(after);
    const facts = await auditFacts(x.h);
    expect(facts.map((f) => [f.action, f.outcome, f.actor, f.origin])).toEqual([
      ['perf.regression.acknowledge', 'ok', x.users.operator.email, '192.0.2.71'],
      ['perf.regression.update', 'denied', x.users.viewer.email, '192.0.2.72'],
    ]);
  });
});
