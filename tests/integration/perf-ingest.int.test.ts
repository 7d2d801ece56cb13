// Perf ingest, budgets, baselines and regressions against a real database (issue 10): verdicts at
// their boundaries, all-or-nothing files, pooled shards, a re-sent upload, unit changes refused,
// refresh refused when unstable and allowed when stable, rollback, confirmation opening one
// regression on main, project-limited tokens, and two refreshes at once.
// The notification channel below points at loopback (nothing is sent: the outbox is checked).
process.env.STEWARD_NOTIFY_ALLOW_PRIVATE = '1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { createProject } from '@/lib/services/flaky/projects';
import { createChannel } from '@/lib/services/notifications/channels';
import { createRule } from '@/lib/services/notifications/rules';
import { refreshBaseline, rollbackBaseline, seriesReadiness } from '@/lib/services/perf/baselines';
import { listBudgets, setBudgets } from '@/lib/services/perf/budgets';
import { ingestPerfRun } from '@/lib/services/perf/ingest';
import type { PerfRunInput } from '@/lib/services/perf/run-input';
import { createTestDb, serviceError, type TestDb } from './helpers';

let h: TestDb;
const cli: Actor = { type: 'cli', id: null, label: 'cli:integration', origin: 'cli' };
const ci = { type: 'token', id: 'tok', label: 'token:ci', scopes: ['ingest'], origin: null } satisfies Actor;
const operator: Actor = { type: 'user', id: 'u1', label: 'op@example.com', role: 'operator' };
const T0 = Date.parse('2026-06-01T00:00:00Z');
const HOUR = 3_600_000;

const seed = (p95: Record<string, number>) => JSON.stringify(Object.fromEntries(Object.entries(p95).map(([k, v]) => [`${k}_p95_ms`, v])));
const samples = (name: string, values: number[]) => JSON.stringify({ format: 'steward-perf/1', metrics: [{ name, unit: 'ms', samples: values }] });
let clock = T0;
const send = (project: string, files: { name: string; content: string }[], extra: Partial<PerfRunInput> = {}, actor: Actor = ci) => {
  clock += HOUR;
  return ingestPerfRun(h.db, actor, { project, profile: 'main', branch: 'main', testbed: { runner: 'gha-4c' }, files, ...extra }, { now: new Date(clock) });
};
const verdict = (r: Awaited<ReturnType<typeof send>>, name: string) => r.metrics.find((m) => m.name === name)!;
async function code(p: Promise<unknown>) {
  return (await serviceError(() => p)).code;
}
const seriesOf = async (project: string, name: string) => {
  const m = await h.db.perfMetric.findFirstOrThrow({ where: { project: { key: project }, name } });
  const t = await h.db.perfTestbed.findFirstOrThrow({ where: { project: { key: project } } });
  return { metricId: m.id, testbedId: t.id, branch: 'main' };
};

beforeAll(async () => {
  h = await createTestDb();
  for (const key of ['hologram', 'other', 'shards', 'units', 'race']) await createProject(h.db, cli, { key, name: key }, new Date(T0));
  await setBudgets(h.db, cli, { project: 'hologram', profile: 'main', budgets: [{ metric: 'verify', limit: 8 }, { metric: 'encode', limit: 80 }, { metric: 'gql', limit: 80 }] }, new Date(T0));
  const channel = await createChannel(h.db, cli, { type: 'webhook', name: 'perf-hook', url: 'http://127.0.0.1:9/perf' }, new Date(T0));
  await createRule(h.db, cli, { channelId: channel.id, projectKey: 'other', kinds: ['perf.*'] }, new Date(T0));
});
afterAll(async () => {
  await h?.close();
});

describe('budgets', () => {
  it('equal passes, over fails; the run fails when one metric does', async () => {
    const r = await send('hologram', [{ name: 'baseline.json', content: seed({ verify: 8, encode: 80.01, gql: 12 }) }]);
    expect(r.duplicate).toBe(false);
    expect(verdict(r, 'verify').budget).toEqual({ limit: 8, status: 'pass' });
    expect(verdict(r, 'encode').budget).toEqual({ limit: 80, status: 'fail' });
    expect(r.status).toBe('fail');
    expect(r.testbed).toBe('gha-4c');
  });
  it('a one-run override (the seed\'s triage rerun) is applied and not stored', async () => {
    const r = await send('hologram', [{ name: 'baseline.json', content: seed({ verify: 8, encode: 900, gql: 12 }) }], { budgets: { encode: 1000 } });
    expect(verdict(r, 'encode').budget).toEqual({ limit: 1000, status: 'pass' });
    expect((await listBudgets(h.db, 'all', 'hologram', 'main')).find((b) => b.metric === 'encode')!.limit).toBe(80);
  });
  it('setting budgets is audited with before and after', async () => {
    const a = await h.db.auditEvent.findFirstOrThrow({ where: { action: 'perf.budgets.set' } });
    expect(a.summary).toBe('Set 3 main budget(s) of "hologram"');
  });
});

describe('ingest', () => {
  it('a run without a CI run id, commit or time is never taken for a repeat (same numbers happen)', async () => {
    const files = [{ name: 'b.json', content: seed({ verify: 5, encode: 50, gql: 50 }) }];
    const a = await send('hologram', files);
    const b = await send('hologram', files);
    expect(b.duplicate).toBe(false);
    expect(b.id).not.toBe(a.id);
  });
  it('a re-sent upload is recognised and answered with the stored verdicts', async () => {
    const files = [{ name: 'b.json', content: seed({ verify: 5, encode: 50, gql: 50 }) }];
    const first = await send('hologram', files, { commit: 'abcdef1', ciRunId: '77' });
    const again = await send('hologram', files, { commit: 'abcdef1', ciRunId: '77' });
    expect(again).toMatchObject({ id: first.id, duplicate: true, status: first.status });
    expect(await h.db.perfRun.count({ where: { id: first.id } })).toBe(1);
  });
  it('a bad second file rejects the whole run, naming file and field; nothing is stored', async () => {
    const before = await h.db.perfRun.count();
    const e = await serviceError(() => send('hologram', [{ name: 'ok.json', content: seed({ verify: 5 }) }, { name: 'bad.json', content: '{"verify": {"p95_ms": "slow"}}' }], { format: 'seed' }));
    expect(e.code).toBe('invalid');
    expect(e.details![0]).toEqual({ field: 'files[1] verify.p95_ms', message: 'bad.json: verify.p95_ms: is not a number of milliseconds' });
    expect(await h.db.perfRun.count()).toBe(before);
  });
  it('shards pool their raw samples; the p95 is of the pool', async () => {
    const r = await send('shards', [{ name: 's1.json', content: samples('q', [1, 2, 3, 4, 5]) }, { name: 's2.json', content: samples('q', [6, 7, 8, 9, 10]) }]);
    expect(verdict(r, 'q')).toMatchObject({ valueKind: 'p95', n: 10 });
    expect(verdict(r, 'q').value).toBeCloseTo(9.55, 10);
    const row = await h.db.perfResult.findFirstOrThrow({ where: { runId: r.id } });
    expect(row.samples).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
  it('two shards with only a summary cannot be pooled', async () => {
    const e = await serviceError(() => send('shards', [{ name: 'a.json', content: seed({ z: 1 }) }, { name: 'b.json', content: seed({ z: 2 }) }]));
    expect(e.details![0]!.message).toBe('b.json: "z" (latency) is also in a.json; shards can be pooled only when both give raw samples');
  });
  it('a metric keeps its unit: a later run in another unit is refused', async () => {
    await send('units', [{ name: 'a.json', content: JSON.stringify([{ name: 'size', unit: 'B', value: 10 }]) }]);
    const e = await serviceError(() => send('units', [{ name: 'a.json', content: JSON.stringify([{ name: 'size', unit: 'ms', value: 10 }]) }]));
    expect(e.details![0]).toEqual({ field: 'metric "size" (value)', message: 'is stored in B (smaller is better) but this run gives ms (smaller is better)' });
  });
  it('a token limited to another project gets not_found; a future or year-old run is refused', async () => {
    const limited = { ...ci, projects: ['other'] } satisfies Actor;
    expect(await code(send('hologram', [{ name: 'a.json', content: seed({ verify: 1 }) }], {}, limited))).toBe('not_found');
    const future = await serviceError(() => send('other', [{ name: 'a.json', content: seed({ verify: 1 }) }], { at: new Date(clock + 3 * HOUR).toISOString() }));
    expect(future.details![0]!.field).toBe('at');
    const old = await serviceError(() => send('other', [{ name: 'a.json', content: seed({ verify: 1 }) }], { at: '2024-01-01T00:00:00Z' }));
    expect(old.details![0]!.message).toMatch(/more than a year old/);
  });
});

describe('baselines and regressions', () => {
  const steady = [6.0, 6.1, 5.9, 6.0, 6.05, 5.95, 6.0, 6.1, 5.9, 6.0];
  it('the first baseline needs a note; refresh is refused while a run is a regression and allowed when stable', async () => {
    for (const v of steady) await send('other', [{ name: 'a.json', content: seed({ verify: v }) }]);
    const key = await seriesOf('other', 'verify');
    expect(await code(refreshBaseline(h.db, operator, { project: 'other', key, note: '  ' }))).toBe('invalid');
    const b1 = await refreshBaseline(h.db, operator, { project: 'other', key, note: 'first baseline' }, new Date(clock));
    expect(b1).toMatchObject({ version: 1, value: 6.0 });
    // A clear step: the first run over 10 % is suspect (the gate warns), the next confirms it.
    const s1 = await send('other', [{ name: 'a.json', content: seed({ verify: 7.2 }) }]);
    expect(verdict(s1, 'verify').regression).toMatchObject({ status: 'suspect' });
    expect(s1.status).toBe('warn');
    expect(verdict(s1, 'verify').baseline).toEqual({ version: 1, value: 6.0 });
    const r = await seriesReadiness(h.db, 'all', 'other', key);
    expect(r.ready).toBe(false);
    expect(r.reasons[0]).toMatch(/is a regression \(suspect\)/);
    expect(await code(refreshBaseline(h.db, operator, { project: 'other', key, note: 'try' }))).toBe('conflict');
    const s2 = await send('other', [{ name: 'a.json', content: seed({ verify: 7.0 }) }]);
    expect(verdict(s2, 'verify').regression!.status).toBe('fail');
    expect(s2.status).toBe('fail');
    const reg = await h.db.perfRegression.findMany({ where: { metricId: key.metricId } });
    expect(reg).toHaveLength(1);
    expect(reg[0]).toMatchObject({ status: 'open', openedRunId: s2.id });
    // The confirmed regression is announced once, in the same transaction (the suspect was not).
    const sent = await h.db.notificationDelivery.findMany({ where: { projectKey: 'other' } });
    expect(sent.map((d) => [d.kind, d.subjectId])).toEqual([['perf.regression', key.metricId]]);
    expect((sent[0]!.payload as { details: { label: string; value: string }[] }).details).toContainEqual({ label: 'Run', value: s2.id });
    // A third breaching run updates the same regression; a PR run never opens one.
    const s3 = await send('other', [{ name: 'a.json', content: seed({ verify: 7.3 }) }]);
    expect(await h.db.perfRegression.count({ where: { metricId: key.metricId } })).toBe(1);
    expect((await h.db.perfRegression.findFirstOrThrow({ where: { metricId: key.metricId } })).lastRunId).toBe(s3.id);
  });
  it('the fix closes the regression; refresh becomes possible once the window is stable; rollback re-points', async () => {
    const key = await seriesOf('other', 'verify');
    const fixed = await send('other', [{ name: 'a.json', content: seed({ verify: 6.02 }) }]);
    expect(verdict(fixed, 'verify').regression!.status).toBe('ok');
    expect((await h.db.perfRegression.findFirstOrThrow({ where: { metricId: key.metricId } })).status).toBe('fixed');
    expect((await h.db.notificationDelivery.findMany({ where: { projectKey: 'other' }, orderBy: { createdAt: 'asc' } })).map((d) => d.kind)).toEqual(['perf.regression', 'perf.fixed']);
    for (const v of steady) await send('other', [{ name: 'a.json', content: seed({ verify: v * 0.97 }) }]);
    expect((await seriesReadiness(h.db, 'all', 'other', key)).ready).toBe(true);
    const b2 = await refreshBaseline(h.db, operator, { project: 'other', key, note: 'Monday refresh', expectedVersion: 1 }, new Date(clock));
    expect(b2.version).toBe(2);
    const next = await send('other', [{ name: 'a.json', content: seed({ verify: 5.9 }) }]);
    expect(verdict(next, 'verify').baseline!.version).toBe(2);
    expect(await code(rollbackBaseline(h.db, operator, { project: 'other', key, toVersion: 2, note: 'no-op' }))).toBe('invalid');
    expect(await code(rollbackBaseline(h.db, operator, { project: 'other', key, toVersion: 1, note: 'stale', expectedVersion: 1 }))).toBe('conflict');
    await rollbackBaseline(h.db, operator, { project: 'other', key, toVersion: 1, note: 'rollback baseline - performance regression detected', expectedVersion: 2 }, new Date(clock));
    const after = await send('other', [{ name: 'a.json', content: seed({ verify: 5.9 }) }]);
    expect(verdict(after, 'verify').baseline).toEqual({ version: 1, value: 6.0 });
    const audit = await h.db.auditEvent.findMany({ where: { action: { in: ['perf.baseline.refresh', 'perf.baseline.rollback'] } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorLabel])).toEqual([['perf.baseline.refresh', 'op@example.com'], ['perf.baseline.refresh', 'op@example.com'], ['perf.baseline.rollback', 'op@example.com']]);
    expect(audit[2]!.summary).toMatch(/rolled back from v2 to v1: rollback baseline/);
  });
  it('two refreshes of the version both operators saw: one wins, the other is a conflict; one new version', async () => {
    for (const v of steady) await send('race', [{ name: 'a.json', content: seed({ verify: v }) }]);
    const key = await seriesOf('race', 'verify');
    const results = await Promise.allSettled([0, 1].map(() => refreshBaseline(h.db, operator, { project: 'race', key, note: 'race', expectedVersion: 0 }, new Date(clock))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'conflict' });
    expect(await h.db.perfBaseline.count({ where: { metricId: key.metricId } })).toBe(1);
  });
});
