/**
 * One fixture per producer of issue 9, written from each producer's documented output format.
 * Expected counts are worked out by hand from the fixture, never from the suite counters (which
 * several fixtures set wrong on purpose: the parser must recount from cases).
 */
import { describe, expect, it } from 'vitest';
import { caseNamed, counts, fixture, type Counts } from '@/tests/support/junit-fixtures';

const c = (tests: number, passed: number, failed: number, error: number, skipped: number, flaky: number, attempts: number): Counts => ({ tests, passed, failed, error, skipped, flaky, attempts });

const TABLE: [file: string, producer: string, counts: Counts, startedAt: string | null][] = [
  ['surefire.xml', 'surefire', c(5, 1, 0, 2, 1, 1, 9), null],
  ['failsafe.xml', 'failsafe', c(2, 1, 1, 0, 0, 0, 2), null],
  ['gradle.xml', 'gradle', c(4, 2, 0, 0, 1, 1, 5), '2024-03-05T10:15:30.000Z'],
  ['pytest-xunit2.xml', 'pytest', c(8, 2, 2, 2, 2, 0, 8), '2024-05-06T07:08:09.123Z'],
  ['pytest-xunit1.xml', 'pytest', c(2, 1, 0, 0, 0, 1, 3), '2024-05-06T07:08:09.000Z'],
  ['jest-junit.xml', 'jest-junit', c(4, 1, 1, 1, 1, 0, 4), '2024-06-01T11:59:59.000Z'],
  ['vitest.xml', 'vitest', c(4, 2, 1, 0, 1, 0, 4), '2024-07-01T08:00:00.000Z'],
  ['mocha-junit-reporter.xml', 'mocha-junit-reporter', c(3, 1, 1, 0, 1, 0, 3), '2024-08-01T09:00:00.000Z'],
  ['mocha-xunit.xml', 'mocha-xunit', c(3, 1, 1, 0, 1, 0, 3), '2024-08-01T09:00:00.000Z'],
  ['go-junit-report.xml', 'go-junit-report', c(4, 1, 1, 1, 1, 0, 4), '2024-09-01T10:00:00.000Z'],
  ['gotestsum.xml', 'gotestsum', c(3, 1, 1, 0, 0, 1, 5), '2024-09-02T09:00:00.000Z'],
  ['playwright.xml', 'playwright', c(3, 3, 1, 0, 1, 1, 7), '2024-10-01T11:59:58.000Z'],
  ['phpunit.xml', 'phpunit', c(5, 2, 1, 1, 1, 0, 5), null],
  ['googletest.xml', 'googletest', c(5, 2, 1, 0, 2, 0, 5), '2024-11-01T13:14:15.123Z'],
  ['ctest.xml', 'ctest', c(4, 1, 1, 0, 2, 0, 4), '2024-11-02T10:00:00.000Z'],
  ['catch2.xml', 'catch2', c(4, 2, 1, 1, 0, 0, 4), '2024-11-03T09:09:09.000Z'],
  ['bazel.xml', 'bazel', c(1, 0, 0, 1, 0, 0, 1), null],
  ['testng.xml', 'testng', c(3, 1, 0, 0, 1, 1, 4), '2024-11-04T08:00:00.000Z'],
  ['dotnet-junit.xml', 'dotnet-junit', c(3, 1, 1, 0, 1, 0, 3), '2024-11-05T07:06:05.000Z'],
  ['trx.trx', 'vstest', c(6, 2, 2, 0, 1, 1, 7), '2024-11-06T09:00:00.200Z'],
];

describe('every producer: counts recounted from cases', () => {
  it.each(TABLE)('%s', (file, producer, expected, startedAt) => {
    const r = fixture(file);
    expect(r.format).toBe(file.endsWith('.trx') ? 'trx' : 'junit');
    expect(r.producer).toBe(producer);
    expect(counts(r)).toEqual(expected);
    expect(r.startedAt?.toISOString() ?? null).toBe(startedAt);
    expect(r.warnings).toEqual([]);
  });
});

describe('producer specifics', () => {
  it('Surefire: flakyFailure/flakyError are failed attempts before the pass; rerun* after the failure', () => {
    const r = fixture('surefire.xml');
    const flaky = caseNamed(r, 'removesItem');
    expect(flaky.outcome).toBe('flaky');
    expect(flaky.attempts.map((a) => a.outcome)).toEqual(['failed', 'error', 'passed']);
    expect(flaky.attempts[0]).toMatchObject({ message: 'expected: <1> but was: <2>', type: 'org.opentest4j.AssertionFailedError' });
    expect(flaky.attempts[0]?.detail).toBe('org.opentest4j.AssertionFailedError: expected: <1> but was: <2>\n\tat com.example.CartTest.removesItem(CartTest.java:42)');
    const rerun = caseNamed(r, 'checksOut');
    expect(rerun.attempts.map((a) => [a.outcome, a.durationMs, a.message])).toEqual([
      ['failed', 500, 'timeout'],
      ['failed', 600, 'timeout again'],
      ['error', 100, 'NPE'],
    ]);
    expect(rerun.outcome).toBe('error');
    expect(rerun.durationMs).toBe(1200);
    expect(caseNamed(r, 'emptiesCart')).toMatchObject({ outcome: 'skipped', skipKind: 'skipped' });
    expect(caseNamed(r, 'emptiesCart').attempts[0]?.message).toBe('@Disabled: flaky on CI');
  });

  it('pytest: xfail is a pass, strict xpass a failure, a collection error synthetic, skip kind kept', () => {
    const r = fixture('pytest-xunit2.xml');
    expect(caseNamed(r, 'test_div_zero')).toMatchObject({ outcome: 'passed', skipKind: null, synthetic: false });
    expect(caseNamed(r, 'test_strict_xpass').outcome).toBe('failed');
    expect(caseNamed(r, 'test_sqrt')).toMatchObject({ outcome: 'skipped', skipKind: 'pytest.skip' });
    expect(caseNamed(r, 'tests.test_broken')).toMatchObject({ outcome: 'error', synthetic: true });
    expect(caseNamed(r, 'test_query')).toMatchObject({ outcome: 'error', synthetic: false });
    expect(r.cases.filter((x) => x.synthetic)).toHaveLength(1);
    expect(caseNamed(r, 'test_add[2-2-5]').identity.key).toBe('["pytest","tests.test_math","test_add[2-2-5]",""]');
  });

  it('pytest xunit1: file attribute normalised into identity; duplicate entries are attempts', () => {
    const post = caseNamed(fixture('pytest-xunit1.xml'), 'test_post');
    expect(post.identity).toEqual({ suite: 'pytest', classname: 'tests.test_api', name: 'test_post', file: 'tests/test_api.py', key: '["pytest","tests.test_api","test_post","tests/test_api.py"]' });
    expect(post.attempts.map((a) => a.outcome)).toEqual(['failed', 'passed']);
    expect(post.durationMs).toBe(400);
  });

  it('jest-junit: classname == name is dropped; several <failure> are one attempt; suite failed to run is synthetic', () => {
    const r = fixture('jest-junit.xml');
    expect(caseNamed(r, 'Cart adds an item').identity.classname).toBe('');
    const totals = caseNamed(r, 'Cart totals');
    expect(totals.attempts).toHaveLength(1);
    expect(totals.attempts[0]?.message).toBe('Error: expect(received).toBe(expected)');
    expect(totals.attempts[0]?.detail).toBe('Error: expect(received).toBe(expected)\n\nExpected: 3\nReceived: 4\n    at Object.<anonymous> (src/cart.test.ts:12:5)\n\nError: second expectation');
    expect(caseNamed(r, 'src/broken.test.ts')).toMatchObject({ outcome: 'error', synthetic: true });
  });

  it('Vitest: classname equal to the suite (the file) is kept', () => {
    expect(caseNamed(fixture('vitest.xml'), 'math > adds').identity).toMatchObject({ suite: 'src/math.test.ts', classname: 'src/math.test.ts', file: null });
  });

  it('mocha-junit-reporter: the suite file is the file of its cases', () => {
    expect(caseNamed(fixture('mocha-junit-reporter.xml'), 'API returns 404').identity).toMatchObject({ suite: 'API', classname: 'returns 404', file: 'test/api.spec.js' });
    expect(caseNamed(fixture('mocha-xunit.xml'), 'returns 404').attempts[0]?.message).toBe('expected 200 to equal 404');
  });

  it('Go: [build failed] is synthetic; gotestsum reruns are attempts', () => {
    expect(caseNamed(fixture('go-junit-report.xml'), '[build failed]')).toMatchObject({ outcome: 'error', synthetic: true });
    const r = fixture('gotestsum.xml');
    expect(caseNamed(r, 'TestPop')).toMatchObject({ outcome: 'flaky', identity: { classname: '' } });
    expect(caseNamed(r, 'TestDrain').attempts.map((a) => a.outcome)).toEqual(['failed', 'failed']);
    expect(caseNamed(r, 'TestDrain').outcome).toBe('failed');
  });

  it('Playwright: the project is a variant, not identity; retries are attempts within a project', () => {
    const r = fixture('playwright.xml');
    const chromium = caseNamed(r, 'login › rejects a bad password', 'chromium');
    const firefox = caseNamed(r, 'login › rejects a bad password', 'firefox');
    expect(chromium.identity.key).toBe(firefox.identity.key);
    expect(chromium.identity).toMatchObject({ suite: 'login.spec.ts', classname: 'login.spec.ts' });
    expect([chromium.outcome, firefox.outcome]).toEqual(['flaky', 'failed']);
    expect(chromium.attempts).toHaveLength(2);
    expect(chromium.attempts[0]?.detail).toContain('[chromium] › login.spec.ts:12:5');
  });

  it('PHPUnit: nested suites make the path; the unnamed outer suite is left out', () => {
    const r = fixture('phpunit.xml');
    expect(caseNamed(r, 'testSubtract').identity).toMatchObject({ suite: 'Unit › App\\Tests\\MoneyTest', classname: 'App.Tests.MoneyTest', file: '/repo/tests/MoneyTest.php' });
    expect(caseNamed(r, 'testSubtract').attempts[0]?.message).toBe('App\\Tests\\MoneyTest::testSubtract');
    expect(caseNamed(r, 'testRound with data set #1').identity.suite).toBe('Unit › App\\Tests\\MoneyTest › App\\Tests\\MoneyTest::testRound');
  });

  it('GoogleTest and CTest: notrun / suppressed / disabled are skips with their kind', () => {
    const g = fixture('googletest.xml');
    expect(caseNamed(g, 'DISABLED_Slow')).toMatchObject({ outcome: 'skipped', skipKind: 'suppressed' });
    expect(caseNamed(g, 'SkipsOnArm')).toMatchObject({ outcome: 'skipped', skipKind: 'skipped' });
    const t = fixture('ctest.xml');
    expect(caseNamed(t, 'unit_legacy')).toMatchObject({ outcome: 'skipped', identity: { classname: '' } });
    expect(caseNamed(t, 'unit_net').attempts[0]).toMatchObject({ outcome: 'failed', message: 'Failed', durationMs: 1200 });
  });

  it('TRX: class names come from TestDefinitions; data rows are the results; retries are attempts', () => {
    const r = fixture('trx.trx');
    const divides = caseNamed(r, 'Divides');
    expect(divides.identity).toEqual({ suite: '', classname: 'Acme.MathTests', name: 'Divides', file: null, key: '["","Acme.MathTests","Divides",""]' });
    expect(divides.attempts.map((a) => [a.outcome, a.durationMs])).toEqual([['failed', 1500], ['passed', 1000]]);
    expect(divides.attempts[0]?.message).toBe('Assert.AreEqual failed. Expected:<2>. Actual:<3>.');
    expect(divides.attempts[0]?.detail).toBe('at Acme.MathTests.Divides() in C:\\src\\MathTests.cs:line 30');
    expect(caseNamed(r, 'Later')).toMatchObject({ outcome: 'skipped', skipKind: 'notexecuted' });
    expect(caseNamed(r, 'Rows (2)')).toMatchObject({ outcome: 'failed', identity: { classname: 'Acme.DataTests' } });
    expect(r.cases.some((x) => x.identity.name === 'Rows')).toBe(false);
    expect(caseNamed(r, 'Adds').durationMs).toBe(12.345);
  });
});
