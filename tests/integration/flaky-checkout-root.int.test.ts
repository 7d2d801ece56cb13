// The upload's checkout root (issue 9, stable identity): absolute test file paths under it are
// stored relative, so runners with different checkout paths (Jenkins `app@2`, Buildkite agents)
// feed one test; a bad root is refused naming the field, nothing stored; a re-parse applies the
// root the upload was stored with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { ingestResults } from '@/lib/services/flaky/ingest';
import { createProject } from '@/lib/services/flaky/projects';
import { chunksOf } from '@/lib/services/flaky/read-upload';
import { reparseUpload } from '@/lib/services/flaky/reparse';
import { uploadRequest } from '@/lib/services/flaky/upload-request';
import { createTestDb, serviceError, type TestDb } from './helpers';

let h: TestDb;
const cli: Actor = { type: 'cli', id: null, label: 'cli:root', origin: 'cli' };
const ci: Actor = { type: 'token', id: 'tok', label: 'token:ci', scopes: ['ingest'], origin: null };
const T0 = Date.parse('2026-06-01T10:00:00Z');

/** PHPUnit's shape: the absolute path on the suite and on each case. */
const phpunit = (dir: string, outcome: '' | '<failure message="boom"/>') =>
  `<?xml version="1.0"?><testsuites><testsuite name="Unit"><testsuite name="App\\MoneyTest" file="${dir}/tests/MoneyTest.php">` +
  `<testcase name="testAdd" class="App\\MoneyTest" classname="App.MoneyTest" file="${dir}/tests/MoneyTest.php" time="0.01">${outcome}</testcase>` +
  `<testcase name="testVendor" classname="App.MoneyTest" file="/opt/php/vendor/Helper.php" time="0.01"/>` +
  `</testsuite></testsuite></testsuites>`;

const send = (xml: string, meta: Record<string, string | undefined>, runId: string) =>
  ingestResults(h.db, ci, { project: 'php', meta: { commit: 'c1', branch: 'main', runId, ...meta }, files: [{ name: 'junit.xml', chunks: chunksOf(new TextEncoder().encode(xml)) }] }, { now: new Date(T0) });

beforeAll(async () => {
  h = await createTestDb();
  await createProject(h.db, cli, { key: 'php', name: 'php' });
});
afterAll(async () => {
  await h?.close();
});

describe('checkout root', () => {
  it('two runners with different workspaces store one test, file relative; a path outside the root stays as written', async () => {
    const a = await send(phpunit('/var/lib/jenkins/workspace/app', ''), { root: '/var/lib/jenkins/workspace/app/' }, 'r1');
    const b = await send(phpunit('/var/lib/jenkins/workspace/app@2', '<failure message="boom"/>'), { root: '/var/lib/jenkins/workspace/app@2' }, 'r2');
    expect(a.totals.tests).toBe(2);
    expect(b.totals.failed).toBe(1);
    const tests = await h.db.testCase.findMany({ orderBy: { name: 'asc' }, select: { name: true, file: true, suite: true } });
    expect(tests).toEqual([
      { name: 'testAdd', file: 'tests/MoneyTest.php', suite: 'Unit › App\\MoneyTest' },
      { name: 'testVendor', file: '/opt/php/vendor/Helper.php', suite: 'Unit › App\\MoneyTest' },
    ]);
    // Passed on one runner, failed on the other, same commit: one test with both results, a flake.
    const add = await h.db.testCase.findFirstOrThrow({ where: { name: 'testAdd' } });
    expect((await h.db.testResult.findMany({ where: { testId: add.id }, orderBy: { outcome: 'asc' } })).map((r) => r.outcome)).toEqual(['failed', 'passed']);
    const uploads = await h.db.testUpload.findMany({ orderBy: { runId: 'asc' }, select: { root: true } });
    expect(uploads).toEqual([{ root: '/var/lib/jenkins/workspace/app' }, { root: '/var/lib/jenkins/workspace/app@2' }]);
  });

  it('without a root the absolute path is the identity (a separate test per checkout path)', async () => {
    await send(phpunit('/srv/other', ''), {}, 'r3');
    expect(await h.db.testCase.count({ where: { file: '/srv/other/tests/MoneyTest.php' } })).toBe(1);
    expect((await h.db.testUpload.findFirstOrThrow({ where: { runId: 'r3' } })).root).toBeNull();
  });

  it.each([
    ['relative/dir', 'absolute'],
    ['/', 'file system root'],
    ['/ok\u0000evil', ''],
  ])('refuses root %j naming the field; nothing stored', async (root, words) => {
    const before = await h.db.testUpload.count();
    const e = await serviceError(() => send(phpunit('/x', ''), { root }, `bad-${root.length}`));
    expect(e.code).toBe('invalid');
    expect(e.details?.map((d) => d.field)).toContain('root');
    if (words) expect(e.details?.find((d) => d.field === 'root')?.message).toContain(words);
    expect(await h.db.testUpload.count()).toBe(before);
  });

  it('arrives as a query parameter of a raw upload', async () => {
    const req = new Request('http://steward/api/v1/test-results?project=php&commit=c2&run_id=r4&root=%2Fhome%2Frunner%2Fwork%2Fapp%2Fapp', { method: 'POST', body: phpunit('/home/runner/work/app/app', ''), headers: { 'content-type': 'application/xml' } });
    const input = await uploadRequest(req);
    expect(input.meta.root).toBe('/home/runner/work/app/app');
    await ingestResults(h.db, ci, input, { now: new Date(T0) });
    expect(await h.db.testCase.count({ where: { name: 'testAdd' } })).toBe(2); // the relative one and /srv/other's
  });

  it('a re-parse applies the stored root: the same rows, no new test', async () => {
    const u = await h.db.testUpload.findFirstOrThrow({ where: { runId: 'r2' } });
    const tests = await h.db.testCase.count();
    const r = await reparseUpload(h.db, cli, u.id, { now: new Date(T0 + 60_000) });
    expect(r.changed).toBe(false);
    expect(await h.db.testCase.count()).toBe(tests);
  });
});
