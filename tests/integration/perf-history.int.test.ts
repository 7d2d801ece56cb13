// Import of a github-action-benchmark data.js history (issue 10) against a real database: runs at
// their own dates and commits, budget verdicts but no comparison and no regression, idempotent
// re-import that adds only new entries, all-or-nothing on a bad entry, suites named, and a baseline
// refreshed from the imported runs afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { createProject } from '@/lib/services/flaky/projects';
import { refreshBaseline, seriesReadiness } from '@/lib/services/perf/baselines';
import { setBudgets } from '@/lib/services/perf/budgets';
import { importPerfHistory } from '@/lib/services/perf/import-history';
import { createTestDb, serviceError, type TestDb } from './helpers';

let h: TestDb;
const cli: Actor = { type: 'cli', id: null, label: 'cli:history', origin: 'cli' };
const T0 = Date.parse('2025-03-01T04:00:00Z'); // more than a year before NOW: history is allowed to be old
const NOW = new Date('2026-12-01T12:00:00Z');
const DAY = 86_400_000;

interface Entry { sha: string; at: number; value: number; score?: number }
const sha = (i: number) => (0xabc0000 + i).toString(16).padStart(7, '0') + 'f'.repeat(33);
const dataJs = (entries: Entry[], extraSuite = false) => `window.BENCHMARK_DATA = ${JSON.stringify({
  lastUpdate: 1, repoUrl: 'https://github.com/acme/app',
  entries: {
    'Rust Benchmark': entries.map((e) => ({ commit: { id: e.sha, message: `commit ${e.sha.slice(0, 7)}\n\nbody` }, date: e.at, tool: 'cargo', benches: [{ name: 'bench_parse', value: e.value, unit: 'ns/iter', range: '+/- 3' }, { name: 'bench_fib', value: 240, unit: 'ns/iter' }] })),
    ...(extraSuite ? { Other: [{ commit: { id: 'abcdef1' }, date: T0, tool: 'customBiggerIsBetter', benches: [{ name: 'score', value: 3, unit: 'points' }] }] } : {}),
  },
})};\n`;
const history = (n: number) => Array.from({ length: n }, (_, i): Entry => ({ sha: sha(i), at: T0 + i * DAY, value: 1_000_000 + (i % 3) * 10_000 }));
const file = (content: string) => ({ name: 'data.js', content });
const counts = async () => ({ runs: await h.db.perfRun.count(), results: await h.db.perfResult.count(), regressions: await h.db.perfRegression.count(), audit: await h.db.auditEvent.count({ where: { action: 'perf.import' } }) });

beforeAll(async () => {
  h = await createTestDb();
  await createProject(h.db, cli, { key: 'app', name: 'App' }, new Date(T0));
  await setBudgets(h.db, cli, { project: 'app', profile: 'main', budgets: [{ metric: 'bench_parse', measure: 'value', limit: 1.01 }] }, new Date(T0));
});
afterAll(async () => {
  await h?.close();
});

describe('importPerfHistory', () => {
  it('stores each entry as a run at its own date and commit, with budget verdicts and nothing judged against a baseline', async () => {
    const r = await importPerfHistory(h.db, cli, { project: 'app', file: file(dataJs(history(12))) }, { now: NOW });
    expect(r).toMatchObject({ project: 'app', suite: 'Rust Benchmark', branch: 'main', profile: 'main', testbed: 'github-action-benchmark', entries: 12, imported: 12, skipped: 0, metrics: 2, from: new Date(T0).toISOString(), to: new Date(T0 + 11 * DAY).toISOString() });
    const runs = await h.db.perfRun.findMany({ orderBy: { at: 'asc' }, select: { at: true, commit: true, branch: true, status: true, receivedAt: true } });
    expect(runs).toHaveLength(12);
    expect(runs[0]).toEqual({ at: new Date(T0), commit: sha(0), branch: 'main', status: 'pass', receivedAt: NOW });
    // 1,010,000 ns = 1.01 ms is exactly the budget (pass); 1,020,000 ns breaches it.
    expect(runs.map((x) => x.status).slice(0, 3)).toEqual(['pass', 'pass', 'fail']);
    const parse = await h.db.perfResult.findMany({ where: { metric: { name: 'bench_parse' } }, orderBy: { at: 'asc' }, select: { value: true, budgetStatus: true, regression: true, baselineId: true } });
    expect(parse.slice(0, 3)).toEqual([
      { value: 1, budgetStatus: 'pass', regression: null, baselineId: null },
      { value: 1.01, budgetStatus: 'pass', regression: null, baselineId: null },
      { value: 1.02, budgetStatus: 'fail', regression: null, baselineId: null },
    ]);
    expect(await h.db.perfRegression.count()).toBe(0);
    expect(await h.db.notificationDelivery.count()).toBe(0);
    expect(await h.db.auditEvent.findFirstOrThrow({ where: { action: 'perf.import' } })).toMatchObject({ actorLabel: 'cli:history', summary: 'Imported 12 historical run(s) of "Rust Benchmark" into "app" (main, main, github-action-benchmark)' });
  });

  it('importing a newer data.js adds only the new entries; the same file again adds nothing', async () => {
    const r = await importPerfHistory(h.db, cli, { project: 'app', file: file(dataJs(history(15))) }, { now: NOW });
    expect([r.entries, r.imported, r.skipped, r.from]).toEqual([15, 3, 12, new Date(T0 + 12 * DAY).toISOString()]);
    const again = await importPerfHistory(h.db, cli, { project: 'app', file: file(dataJs(history(15))) }, { now: NOW });
    expect([again.imported, again.skipped, again.from]).toEqual([0, 15, null]);
    expect(await h.db.perfRun.count()).toBe(15);
  });

  it('a baseline can be refreshed from the imported runs afterwards', async () => {
    const m = await h.db.perfMetric.findFirstOrThrow({ where: { name: 'bench_fib' } });
    const t = await h.db.perfTestbed.findFirstOrThrow();
    const key = { metricId: m.id, testbedId: t.id, branch: 'main' };
    expect((await seriesReadiness(h.db, 'all', 'app', key)).ready).toBe(true);
    const b = await refreshBaseline(h.db, cli, { project: 'app', key, note: 'from the imported history' }, NOW);
    expect(b).toMatchObject({ version: 1 });
  });

  it('several suites: refused naming them until one is chosen; an unknown suite is named', async () => {
    const before = await counts();
    const e = await serviceError(() => importPerfHistory(h.db, cli, { project: 'app', file: file(dataJs(history(2), true)) }, { now: NOW }));
    expect([e.code, e.details]).toEqual(['invalid', [{ field: 'suite', message: 'data.js holds 2 suites ("Other", "Rust Benchmark"); say which one to import' }]]);
    const u = await serviceError(() => importPerfHistory(h.db, cli, { project: 'app', suite: 'Nope', file: file(dataJs(history(2), true)) }, { now: NOW }));
    expect(u.details).toEqual([{ field: 'suite', message: '"Nope" is not in data.js; it has "Other", "Rust Benchmark"' }]);
    expect(await counts()).toEqual(before);
    const o = await importPerfHistory(h.db, cli, { project: 'app', suite: 'Other', branch: 'legacy', file: file(dataJs(history(2), true)) }, { now: NOW });
    expect([o.imported, o.metrics, o.branch]).toEqual([1, 1, 'legacy']);
  });

  it('a bad entry rejects the whole file naming the entry; a future-dated entry is refused; nothing is written', async () => {
    const before = await counts();
    const bad = dataJs(history(20)).replace(`"id":"${sha(17)}"`, '"id":"not-a-sha"');
    const e = await serviceError(() => importPerfHistory(h.db, cli, { project: 'app', file: file(bad) }, { now: NOW }));
    expect(e.code).toBe('invalid');
    expect(e.details).toEqual([{ field: 'file', message: 'data.js: entries["Rust Benchmark"][17].commit.id: must be a commit hash (github-action-benchmark data.js; got "not-a-sha")' }]);
    const future = dataJs([...history(16), { sha: sha(99), at: NOW.getTime() + DAY, value: 1 }]);
    const f = await serviceError(() => importPerfHistory(h.db, cli, { project: 'app', file: file(future) }, { now: NOW }));
    expect(f.message).toContain(`the entry for commit ${sha(99)} is dated ${new Date(NOW.getTime() + DAY).toISOString()}, after this server's clock`);
    const notDataJs = await serviceError(() => importPerfHistory(h.db, cli, { project: 'app', file: file('{"entries": {}}') }, { now: NOW }));
    expect(notDataJs.message).toMatch(/does not start with "window.BENCHMARK_DATA ="/);
    expect(await counts()).toEqual(before);
  });

  it('two imports of one new file at once: one stores the entries, the other finds them stored', async () => {
    const text = dataJs(history(15)).replace('Rust Benchmark', 'Concurrent');
    const both = await Promise.all([0, 1].map(() => importPerfHistory(h.db, cli, { project: 'app', file: file(text) }, { now: NOW })));
    expect(both.map((r) => r.imported).sort()).toEqual([0, 15]);
    expect(both.map((r) => r.skipped).sort()).toEqual([0, 15]);
  });

  it('a token limited to another project gets not_found; bad flags are named', async () => {
    const other: Actor = { type: 'token', id: 't', label: 'token:other', scopes: ['ingest'], projects: ['other'], origin: null };
    expect((await serviceError(() => importPerfHistory(h.db, other, { project: 'app', file: file(dataJs(history(1))) }, { now: NOW }))).code).toBe('not_found');
    const e = await serviceError(() => importPerfHistory(h.db, cli, { project: 'app', profile: 'Main!', branch: 'a\u0000b', file: file('') }, { now: NOW }));
    expect((e.details ?? []).map((d) => d.field).sort()).toEqual(['branch', 'profile']);
  });
});
