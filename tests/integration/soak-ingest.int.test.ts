// Soak ingest against a real database (issue 11, part 2): a leaking run called a leak and a
// sawtooth one not, the criteria stored with their values, an idempotent re-send, a reused key with
// other files refused, bad input leaving nothing half-written, notifications in the same
// transaction, downsampled series and the fitted line, E2E success rates and chaos scenarios.
// The notification channel points at loopback (nothing is sent: the outbox is checked).
process.env.STEWARD_NOTIFY_ALLOW_PRIVATE = '1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { createProject } from '@/lib/services/flaky/projects';
import { createChannel } from '@/lib/services/notifications/channels';
import { createRule } from '@/lib/services/notifications/rules';
import { allMetricsText } from '@/lib/services/metrics-all';
import { getSoakRun, ingestChaosRun, ingestE2eRun, ingestSoakRun, listChaosScenarios, listE2ePipelines, listSoakRuns } from '@/lib/services/soak';
import { eventsJsonl, leakingRss, sawtoothRss, soakCsv, soakJsonl } from '../support/soak-series';
import { createTestDb, serviceError, type TestDb } from './helpers';

let h: TestDb;
const cli: Actor = { type: 'cli', id: null, label: 'cli:integration', origin: 'cli' };
const ci = { type: 'token', id: 'tok', label: 'token:ci', scopes: ['ingest'], origin: null } satisfies Actor;
const NOW = new Date('2026-12-01T06:00:00Z');
const audit = `{"vulnerabilities": {"lodash": {"name": "lodash", "severity": "high", "via": [{"url": "https://github.com/advisories/GHSA-x"}]}}, "auditReportVersion": 2, "metadata": {}}`;
const counts = async () => ({ runs: await h.db.soakRun.count(), samples: await h.db.soakSample.count(), criteria: await h.db.soakCriterion.count(), deliveries: await h.db.notificationDelivery.count() });

beforeAll(async () => {
  h = await createTestDb();
  for (const key of ['mm-bot', 'other']) await createProject(h.db, cli, { key, name: key }, NOW);
  const channel = await createChannel(h.db, cli, { type: 'webhook', name: 'soak-hook', url: 'http://127.0.0.1:9/soak' }, NOW);
  await createRule(h.db, cli, { channelId: channel.id, projectKey: 'mm-bot', kinds: ['soak.*'] }, NOW);
});
afterAll(async () => {
  await h?.close();
});

describe('soak runs', () => {
  it('a leaking 24-hour run is a leak: criteria stored with values, soak.leak and soak.failed enqueued', async () => {
    const r = await ingestSoakRun(h.db, ci, { project: 'mm-bot', name: 'nightly-24h', runKey: 'gha-1', crashes: 0, orphanOrders: 0, files: [{ name: 'resources.csv', content: soakCsv({ rss: leakingRss }) }, { name: 'npm-audit.json', content: audit }] }, { now: NOW });
    expect(r.duplicate).toBe(false);
    expect(r.leak.verdict).toBe('leak');
    expect(r.leak.slopeMbPerHour!).toBeGreaterThan(40);
    expect(r.leak.lowerMbPerHour!).toBeGreaterThan(10);
    expect(r.status).toBe('fail');
    const by = Object.fromEntries(r.criteria.map((c) => [c.id, c]));
    expect(by.duration).toMatchObject({ status: 'pass', value: 24 });
    expect(by.memory_growth!.status).toBe('fail');
    expect(by.avg_cpu).toMatchObject({ status: 'pass', value: 35 });
    expect(by.security).toMatchObject({ status: 'fail', value: 1 });
    expect(by.crashes).toMatchObject({ status: 'pass', value: 0 });
    expect(r.sampleCount).toBe(289);
    expect(await h.db.soakSample.count({ where: { runId: r.id } })).toBe(289);
    const kinds = (await h.db.notificationDelivery.findMany({ select: { kind: true } })).map((d) => d.kind).sort();
    expect(kinds).toEqual(['soak.failed', 'soak.leak']);
    const a = await h.db.auditEvent.findFirstOrThrow({ where: { action: 'soak.ingest' } });
    expect(a.summary).toMatch(/leak leak, fail/);
  });

  it('a sawtooth run is not a leak and, with every criterion met, passes', async () => {
    const r = await ingestSoakRun(h.db, ci, { project: 'mm-bot', name: 'gc-sawtooth', crashes: 0, orphanOrders: 0, files: [{ name: 'resources.jsonl', content: soakJsonl({ rss: sawtoothRss, everyMin: 2 }) }, { name: 'audit.json', content: '{"vulnerabilities": {}, "auditReportVersion": 2, "metadata": {}}' }] }, { now: NOW });
    expect(r.leak.verdict).toBe('no-leak');
    expect(r.criteria.map((c) => `${c.id}:${c.status}`)).toEqual(['duration:pass', 'memory_growth:pass', 'avg_cpu:pass', 'disk:pass', 'ws_reconnects:pass', 'orphan_orders:pass', 'zombies:pass', 'crashes:pass', 'security:pass']);
    expect(r.status).toBe('pass');
  });

  it('the same key and files again is the stored run (200-style duplicate), nothing added', async () => {
    const before = await counts();
    const r = await ingestSoakRun(h.db, ci, { project: 'mm-bot', name: 'nightly-24h', runKey: 'gha-1', crashes: 0, orphanOrders: 0, files: [{ name: 'resources.csv', content: soakCsv({ rss: leakingRss }) }, { name: 'npm-audit.json', content: audit }] }, { now: NOW });
    expect(r.duplicate).toBe(true);
    expect(r.leak.verdict).toBe('leak');
    expect(await counts()).toEqual(before);
  });

  it('the same key with other files is a conflict', async () => {
    const e = await serviceError(() => ingestSoakRun(h.db, ci, { project: 'mm-bot', name: 'nightly-24h', runKey: 'gha-1', files: [{ name: 'resources.csv', content: soakCsv({ rss: sawtoothRss }) }] }, { now: NOW }));
    expect(e.code).toBe('conflict');
  });

  it('a bad cell names the file, line and column; nothing is stored', async () => {
    const before = await counts();
    const csv = soakCsv({ rss: sawtoothRss }).split('\n');
    csv[5] = csv[5]!.replace(/,(\d+(\.\d)?),35,/, ',12x,35,');
    const e = await serviceError(() => ingestSoakRun(h.db, ci, { project: 'mm-bot', name: 'bad', files: [{ name: 'ok.jsonl', content: soakJsonl({ rss: sawtoothRss }) }, { name: 'bad.csv', content: csv.join('\n') }] }, { now: NOW }));
    expect(e.code).toBe('invalid');
    expect(e.message).toBe('files[1] line 6, column "rss_mb": bad.csv: line 6, column "rss_mb": "12x" is not a number');
    expect(await counts()).toEqual(before);
  });

  it('samples in the future are refused; an unknown project is not found', async () => {
    const e = await serviceError(() => ingestSoakRun(h.db, ci, { project: 'mm-bot', name: 'future', files: [{ name: 'r.csv', content: soakCsv({ rss: sawtoothRss, start: NOW.getTime() }) }] }, { now: NOW }));
    expect(e.message).toMatch(/in the future/);
    expect((await serviceError(() => ingestSoakRun(h.db, ci, { project: 'nope', name: 'x', files: [{ name: 'r.csv', content: 'timestamp,rss_mb\n' }] }, { now: NOW }))).code).toBe('not_found');
  });

  it('only a resources.analysis.json: the reported verdict, marked as reported; the rest unknown', async () => {
    const r = await ingestSoakRun(h.db, ci, { project: 'other', name: 'summary-only', files: [{ name: 'resources.analysis.json', content: JSON.stringify({ memory_leak_detected: true, memory_growth_mb_per_hour: 50.5, memory_stats: { rss_start_mb: 150, rss_end_mb: 1200, rss_max_mb: 1250 } }) }] }, { now: NOW });
    expect(r.leak).toMatchObject({ verdict: 'leak', source: 'reported', slopeMbPerHour: null });
    expect(r.criteria.find((c) => c.id === 'memory_growth')).toMatchObject({ status: 'fail', value: 50.5 });
    expect(r.criteria.find((c) => c.id === 'avg_cpu')!.status).toBe('unknown');
    expect(r.status).toBe('fail');
    const flagOnly = await ingestSoakRun(h.db, ci, { project: 'other', name: 'flag-only', files: [{ name: 'resources.analysis.json', content: '{"memory_leak_detected": true, "memory_stats": {}}' }] }, { now: NOW });
    expect(flagOnly.criteria.find((c) => c.id === 'memory_growth')).toMatchObject({ status: 'fail', value: null });
  });

  it('lists runs with a verdict per criterion; one run has a bounded series and the fitted line', async () => {
    const list = await listSoakRuns(h.db, 'all', { project: 'mm-bot' });
    expect(list.map((r) => r.name).sort()).toEqual(['gc-sawtooth', 'nightly-24h']);
    expect(list[0]!.criteria).toHaveLength(9);
    expect(list[0]!.criteria[1]).toMatchObject({ id: 'memory_growth', target: '< 10', threshold: 10 });
    const leak = list.find((r) => r.name === 'nightly-24h')!;
    const d = await getSoakRun(h.db, 'all', leak.id, { points: 50 });
    expect(d.series.points.length).toBeLessThanOrEqual(50);
    expect(d.series.points.length).toBeGreaterThan(40);
    expect(d.series.points[0]!.rssMinMb!).toBeLessThanOrEqual(d.series.points[0]!.rssMaxMb!);
    const line = d.fitLine!.points;
    expect(line).toHaveLength(3);
    expect(line[2]!.upperMb).toBeGreaterThanOrEqual(line[2]!.mb);
    expect(line[2]!.lowerMb).toBeLessThanOrEqual(line[2]!.mb);
    expect((line[2]!.mb - line[0]!.mb) / ((line[2]!.t - line[0]!.t) / 3_600_000)).toBeCloseTo(d.leak.slopeMbPerHour!, 6);
    const tokenOther = { ...ci, projects: ['other'] } satisfies Actor;
    expect((await serviceError(() => getSoakRun(h.db, tokenOther, leak.id))).code).toBe('not_found');
  });
});

describe('E2E and chaos', () => {
  it('events.jsonl: last successful step, failing step and error; success rate per pipeline', async () => {
    const steps = ['publish', 'install', 'use'];
    const fail = await ingestE2eRun(h.db, ci, { project: 'mm-bot', pipeline: 'publish-install-use', file: { name: 'events.jsonl', content: eventsJsonl('publish-install-use', steps, 1) } }, { now: NOW });
    expect(fail.runs[0]).toMatchObject({ outcome: 'fail', lastSuccessfulStep: 'publish', failingStep: 'install', error: 'step install exited 1: connection refused' });
    for (let i = 0; i < 3; i++) await ingestE2eRun(h.db, ci, { project: 'mm-bot', runKey: `ok-${i}`, file: { name: 'events.jsonl', content: eventsJsonl('publish-install-use', steps, null, NOW.getTime() - (i + 1) * 3_600_000) } }, { now: NOW });
    const again = await ingestE2eRun(h.db, ci, { project: 'mm-bot', runKey: 'ok-0', file: { name: 'events.jsonl', content: eventsJsonl('publish-install-use', steps, null, NOW.getTime() - 3_600_000) } }, { now: NOW });
    expect(again.duplicate).toBe(true);
    const [p] = await listE2ePipelines(h.db, 'all', { project: 'mm-bot', now: NOW });
    expect(p).toMatchObject({ pipeline: 'publish-install-use', runs: 4, passed: 3, successRate: 0.75, meetsTarget: false });
    expect(p!.lastFailure).toMatchObject({ failingStep: 'install' });
  });

  it('a bad events line is refused with its number; nothing stored', async () => {
    const before = await h.db.e2eRun.count();
    const e = await serviceError(() => ingestE2eRun(h.db, ci, { project: 'mm-bot', file: { name: 'events.jsonl', content: '{"step":"a","status":"ok"}\n{oops\n{"step":"b","status":"ok"}\n' } }, { now: NOW }));
    expect(e.message).toMatch(/^file line 2: events\.jsonl: line 2: not JSON/);
    expect(await h.db.e2eRun.count()).toBe(before);
  });

  it('chaos JSON and JUnit: success rate and recovery time per scenario against the targets', async () => {
    const json = JSON.stringify({ results: [...Array.from({ length: 19 }, () => ({ scenario: 'ipfs_restart', status: 'passed', recovery_time_s: 12 })), { scenario: 'ipfs_restart', status: 'failed', recovery_time_s: 45 }] });
    const r = await ingestChaosRun(h.db, ci, { project: 'mm-bot', file: { name: 'chaos.json', content: json } }, { now: NOW });
    expect(r.scenarios[0]).toMatchObject({ scenario: 'ipfs_restart', attempts: 20, passed: 19, successRate: 0.95, successOk: false, recoveryMaxMs: 45_000, recoveryOk: false });
    const xml = `<testsuite name="pytest"><testcase classname="tests.phase9_chaos.test_gql" name="test_gql_latency" time="3"/><testcase classname="tests.unit" name="test_other" time="1"><failure message="x"/></testcase></testsuite>`;
    const j = await ingestChaosRun(h.db, ci, { project: 'mm-bot', file: { name: 'chaos.xml', content: xml } }, { now: NOW });
    expect(j.format).toBe('junit');
    expect(j.scenarios.map((s) => s.scenario)).toEqual(['test_gql_latency']);
    const list = await listChaosScenarios(h.db, 'all', { project: 'mm-bot', now: NOW });
    expect(list.map((s) => [s.scenario, s.successRate, s.recoveryMedianMs])).toEqual([['ipfs_restart', 0.95, 12_000], ['test_gql_latency', 1, null]]);
  });

  it('chaos JUnit with recovery times as testcase properties: median and max stored and listed; a bad value names its line', async () => {
    const pc = (name: string, recovery: string, inner = '') => `<testcase classname="tests.phase9_chaos.test_pods" name="${name}" time="40">${recovery}${inner}</testcase>`;
    const xml = `<testsuites><testsuite name="pytest"><properties><property name="recovery_time_s" value="500"/></properties>
${pc('test_pod_kill', '<properties><property name="recovery_time_s" value="12.5"/></properties>')}
${pc('test_pod_kill', '<properties><property name="recovery_ms">4000</property></properties>')}
${pc('test_pod_kill', '<properties><property name="recovery_s" value="31"/></properties>', '<failure message="not recovered in time"/>')}
${pc('test_pod_kill', '')}
</testsuite></testsuites>`;
    const r = await ingestChaosRun(h.db, ci, { project: 'mm-bot', runKey: 'chaos-junit-recovery', file: { name: 'chaos-junit.xml', content: xml } }, { now: NOW });
    expect(r.format).toBe('junit');
    expect(r.scenarios).toEqual([expect.objectContaining({ scenario: 'test_pod_kill', attempts: 4, passed: 3, recoveryMedianMs: 12_500, recoveryMaxMs: 31_000, recoveryOk: false })]);
    const row = await h.db.chaosResult.findFirstOrThrow({ where: { runId: r.id } });
    expect(row).toMatchObject({ scenario: 'test_pod_kill', recoveryMs: [12_500, 4000, 31_000], recoveryMedianMs: 12_500, recoveryMaxMs: 31_000 });
    const listed = (await listChaosScenarios(h.db, 'all', { project: 'mm-bot', now: NOW })).find((s) => s.scenario === 'test_pod_kill');
    expect(listed).toMatchObject({ attempts: 4, recoveryMedianMs: 12_500, recoveryMaxMs: 31_000, recoveryOk: false });

    const before = await h.db.chaosRun.count();
    const e = await serviceError(() => ingestChaosRun(h.db, ci, { project: 'mm-bot', file: { name: 'chaos-junit.xml', content: xml.replace('value="31"', 'value="-3"') } }, { now: NOW }));
    expect(e.message).toContain('chaos-junit.xml: line 4, property "recovery_s": "-3" is not a non-negative number');
    expect(e.details).toEqual([{ field: 'file line 4, property "recovery_s"', message: 'chaos-junit.xml: line 4, property "recovery_s": "-3" is not a non-negative number' }]);
    expect(await h.db.chaosRun.count()).toBe(before);
  });

  it('/metrics has the latest soak verdicts and the E2E and chaos rates', async () => {
    const text = await allMetricsText(h.db, NOW);
    expect(text).toContain('steward_soak_memory_leak{project="mm-bot",run="nightly-24h"} 1');
    expect(text).toContain('steward_soak_memory_leak{project="mm-bot",run="gc-sawtooth"} 0');
    expect(text).toContain('steward_soak_run_passed{project="mm-bot",run="gc-sawtooth"} 1');
    expect(text).toContain('steward_e2e_success_ratio{project="mm-bot",pipeline="publish-install-use"} 0.75');
    expect(text).toContain('steward_chaos_success_ratio{project="mm-bot",scenario="ipfs_restart"} 0.95');
    expect(text).toContain('steward_chaos_recovery_max_seconds{project="mm-bot",scenario="ipfs_restart"} 45');
    expect(text).toContain('steward_chaos_recovery_max_seconds{project="mm-bot",scenario="test_pod_kill"} 31');
  });
});
