/** JUnit chaos results with per-case recovery times (`<testcase><properties><property …/>`). */
import { describe, expect, it } from 'vitest';
import { createJunitEntryParser, parseJunit, PROPERTY_LIMITS, type CaseEntry, type JunitParserOptions } from '@/lib/engine/flaky/junit';
import { fixtureText } from '@/tests/support/junit-fixtures';
import { CHAOS_LIMITS, judgeChaos, parseChaosFile } from './chaos';
import { SoakParseError } from './errors';

const prop = (name: string, value: string) => `<properties><property name="${name}" value="${value}"/></properties>`;
const tc = (name: string, inner = '') => `<testcase classname="tests.phase9_chaos.test_x" name="${name}" time="1">${inner}</testcase>`;
const suite = (...cases: string[]) => `<testsuites><testsuite name="pytest">\n${cases.join('\n')}\n</testsuite></testsuites>`;
const verdicts = (xml: string) => parseChaosFile('chaos.xml', xml).map((s) => judgeChaos(s));

function failure(xml: string): SoakParseError {
  try {
    parseChaosFile('chaos.xml', xml);
  } catch (e) {
    if (e instanceof SoakParseError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('JUnit chaos results: recovery time from testcase properties', () => {
  it('attribute and text form (CDATA too), seconds and ms, several attempts: median and max', () => {
    const xml = suite(
      tc('ipfs_restart', prop('recovery_time_s', '12.5')),
      tc('ipfs_restart', '<properties><property name="recovery_s">20</property></properties>'),
      tc('ipfs_restart', `${prop('recovery_ms', '4000')}<failure message="not recovered"/>`),
      tc('ipfs_restart', '<properties><property name="recovery_time_ms"><![CDATA[ 31000 ]]></property></properties>'),
      tc('dns_failure', '<properties><property name="owner" value="sre"/><property name="recovery_seconds" value=" 1.5e0 "/></properties>'),
    );
    expect(parseChaosFile('chaos.xml', xml)).toEqual([
      { scenario: 'ipfs_restart', attempts: 4, passed: 3, recoveryMs: [12_500, 20_000, 4000, 31_000] },
      { scenario: 'dns_failure', attempts: 1, passed: 1, recoveryMs: [1500] },
    ]);
    expect(verdicts(xml)[0]).toMatchObject({ successRate: 0.75, recoveryMedianMs: 16_250, recoveryMaxMs: 31_000, recoveryOk: false });
  });

  it('Playwright annotations (`<property name value></property>`) and a Surefire flaky case: one recovery per testcase', () => {
    const pw = `<testsuites><testsuite name="chaos.spec.ts" hostname="chromium"><testcase name="partition heals" classname="chaos.spec.ts" time="3"><properties><property name="recovery_time_s" value="7"></property></properties></testcase></testsuite></testsuites>`;
    expect(parseChaosFile('pw.xml', pw)).toEqual([{ scenario: 'partition heals', attempts: 1, passed: 1, recoveryMs: [7000] }]);
    const sf = suite(tc('oom', `<flakyFailure message="x" type="E"/>${prop('recovery_time_s', '9')}`));
    expect(parseChaosFile('sf.xml', sf)).toEqual([{ scenario: 'oom', attempts: 2, passed: 1, recoveryMs: [9000] }]);
  });

  it('the first present name counts, in the JSON order (seconds before ms): a later bad one is not read', () => {
    const xml = suite(tc('a', '<properties><property name="recovery_ms" value="oops"/><property name="recovery_time_s" value="2"/></properties>'));
    expect(parseChaosFile('chaos.xml', xml)[0]!.recoveryMs).toEqual([2000]);
  });

  it('suite-level properties belong to no case; a case without one keeps an unknown recovery', () => {
    const xml = `<testsuites><properties><property name="recovery_time_s" value="99"/></properties><testsuite name="pytest">${prop('recovery_time_s', '88')}
${tc('disk_full')}
<testsuite name="inner">${prop('recovery_ms', '77')}${tc('clock_skew', '<system-out>recovery_time_s=5</system-out>')}</testsuite>
</testsuite></testsuites>`;
    expect(parseChaosFile('chaos.xml', xml)).toEqual([
      { scenario: 'disk_full', attempts: 1, passed: 1, recoveryMs: [] },
      { scenario: 'clock_skew', attempts: 1, passed: 1, recoveryMs: [] },
    ]);
    expect(verdicts(xml)[0]).toMatchObject({ recoveryMedianMs: null, recoveryMaxMs: null, recoveryOk: null });
  });

  it('untagged and skipped cases add no recovery', () => {
    const xml = suite(tc('a', `${prop('recovery_time_s', '3')}<skipped/>`), `<testcase classname="tests.unit" name="u">${prop('recovery_time_s', 'bad')}</testcase>`, tc('a', prop('recovery_time_s', '4')));
    expect(parseChaosFile('chaos.xml', xml)).toEqual([{ scenario: 'a', attempts: 1, passed: 1, recoveryMs: [4000] }]);
  });

  it('a value that is not a finite non-negative number rejects the file, naming file, line and property', () => {
    const bad = (value: string, name = 'recovery_time_s') => failure(suite(tc('ok', prop('recovery_s', '1')), tc('a', prop(name, value))));
    const e = bad('abc');
    expect(e.message).toBe('chaos.xml: line 3, property "recovery_time_s": "abc" is not a non-negative number');
    expect([e.where, e.line]).toEqual(['line 3, property "recovery_time_s"', 3]);
    expect(bad('-1').detail).toBe('"-1" is not a non-negative number');
    expect(bad('NaN').detail).toBe('"NaN" is not a non-negative number');
    expect(bad('Infinity', 'recovery_ms').message).toBe('chaos.xml: line 3, property "recovery_ms": "Infinity" is not a non-negative number');
    expect(bad('1e10').detail).toBe('"1e10" is not a non-negative number');
    expect(bad('0x10').detail).toBe('"0x10" is not a non-negative number');
    expect(bad('12.5s').detail).toBe('"12.5s" is not a non-negative number');
    expect(bad('').detail).toBe('"" is not a non-negative number');
    expect(bad('9'.repeat(5000)).detail).toBe(`a value longer than ${PROPERTY_LIMITS.maxValue} characters is not a non-negative number`);
    expect(failure(suite(tc('a', `<properties><property name="recovery_ms">${'1'.repeat(300)}</property></properties>`))).detail).toMatch(/^a value longer than 256/);
  });

  it('keeps at most CHAOS_LIMITS.maxRecoveries recovery times per scenario; attempts are all counted', () => {
    const n = CHAOS_LIMITS.maxRecoveries + 5;
    const [s] = parseChaosFile('chaos.xml', suite(...Array.from({ length: n }, (_, i) => tc('a', prop('recovery_ms', String(i))))));
    expect(s!.attempts).toBe(n);
    expect(s!.recoveryMs).toHaveLength(CHAOS_LIMITS.maxRecoveries);
  });

  it('a malformed file is still rejected with its line', () => {
    const e = failure('<testsuite name="chaos">\n<testcase name="a"><properties><property name="recovery_s" value="1"/></properties>\n</testsuite>');
    expect(e.line).toBe(3);
  });
});

/** Every JUnit fixture of the flaky-tests parser (TRX has no properties). */
const FIXTURES = ['bazel', 'catch2', 'ctest', 'dotnet-junit', 'failsafe', 'go-junit-report', 'googletest', 'gotestsum', 'gradle', 'jest-junit', 'mocha-junit-reporter', 'mocha-xunit', 'phpunit', 'playwright', 'pytest-xunit1', 'pytest-xunit2', 'surefire', 'testng', 'vitest'];
const CHAOS_XML = suite(tc('a', prop('recovery_time_s', '1')), `<testcase classname="t" name="b"><properties><property name="recovery_ms">2</property><property name="recovery_ms">3</property></properties></testcase>`);
const files: [string, string][] = [...FIXTURES.map((f): [string, string] => [`${f}.xml`, fixtureText(`${f}.xml`)]), ['chaos.xml', CHAOS_XML]];

function entries(text: string, extra: Partial<JunitParserOptions> = {}): { list: CaseEntry[]; warnings: unknown[]; producer: string } {
  const list: CaseEntry[] = [];
  const p = createJunitEntryParser({ file: 'f.xml', entries: { add: (e) => list.push(e) }, ...extra });
  p.write(text);
  const h = p.end();
  return { list, warnings: h.warnings, producer: h.producer };
}

describe('flaky-tests parser: keepProperties is opt-in', () => {
  it.each(files)('%s: without the option no entry has properties; with it, results, producer and attempts are the same', (_name, text) => {
    const plain = entries(text);
    expect(plain.list.every((e) => !('properties' in e))).toBe(true);
    const kept = entries(text, { keepProperties: ['recovery_time_s', 'recovery_ms', 'go.version', 'ticket'] });
    expect(kept.producer).toBe(plain.producer);
    expect(kept.list.map(({ properties: _p, ...e }) => e)).toEqual(plain.list);
    expect(parseJunit(text, { file: 'f.xml', keepProperties: ['recovery_time_s'] })).toEqual(parseJunit(text, { file: 'f.xml' }));
  });

  it('suite-level properties (go.version, surefire) are not attributed to a case', () => {
    for (const f of ['go-junit-report.xml', 'surefire.xml']) {
      const text = files.find(([n]) => n === f)![1];
      expect(entries(text, { keepProperties: ['go.version', 'java.version', 'maven.home'] }).list.some((e) => e.properties)).toBe(false);
    }
  });

  it('one value per name per case (a repeat warns), with its line; bounded names', () => {
    const r = entries(CHAOS_XML, { keepProperties: ['recovery_time_s', 'recovery_ms'] });
    expect(r.list.map((e) => e.properties)).toEqual([[{ name: 'recovery_time_s', value: '1', line: 2, truncated: false }], [{ name: 'recovery_ms', value: '2', line: 3, truncated: false }]]);
    expect(r.warnings).toEqual([{ line: 3, message: 'property "recovery_ms" repeated in one testcase: the first value is kept' }]);
    expect(() => createJunitEntryParser({ file: 'f', entries: { add: () => {} }, keepProperties: Array.from({ length: PROPERTY_LIMITS.maxNames + 1 }, (_, i) => `p${i}`) })).toThrow(/at most 16 names/);
    expect(() => createJunitEntryParser({ file: 'f', entries: { add: () => {} }, keepProperties: [''] })).toThrow(/1 to 128 characters/);
    const long = entries(suite(tc('a', prop('x', 'y'.repeat(1000)))), { keepProperties: ['x'] }).list[0]!.properties![0]!;
    expect([long.value.length, long.truncated]).toEqual([PROPERTY_LIMITS.maxValue, true]);
  });
});
