import { describe, expect, it } from 'vitest';
import { makeIdentity, normaliseFile, normaliseRoot, normaliseText } from './identity';
import { parseJunit } from './index';
import { resultOutcome } from './results';
import { fixtureText } from '@/tests/support/junit-fixtures';

describe('identity normalisation', () => {
  it('trims, collapses whitespace and turns control characters into spaces', () => {
    expect(normaliseText('  a\n\t  b\u0000c\u001b[31m  ')).toBe('a b c [31m');
    expect(normaliseFile('.\\src\\a.test.ts')).toBe('src/a.test.ts');
    expect(normaliseFile('././x.py')).toBe('x.py');
    expect(normaliseFile('  ')).toBeNull();
  });

  it('classname equal to name is dropped; equal to the suite is kept; the key is a JSON array', () => {
    expect(makeIdentity({ suites: ['S'], classname: 'a  b', name: 'a b', file: null })).toEqual({ suite: 'S', classname: '', name: 'a b', file: null, key: '["S","","a b",""]' });
    expect(makeIdentity({ suites: ['f.ts'], classname: 'f.ts', name: 't', file: undefined }).classname).toBe('f.ts');
  });

  it('suite path: outermost first, unnamed levels and the file level left out', () => {
    const id = makeIdentity({ suites: ['', 'Unit', 'tests/a.php', 'A::b'], classname: 'A', name: 't', file: './tests/a.php' });
    expect(id.suite).toBe('Unit › A::b');
    expect(id.key).toBe('["Unit › A::b","A","t","tests/a.php"]');
  });

  it('a name cannot forge another identity through separators', () => {
    const a = makeIdentity({ suites: ['x › y'], classname: '', name: 'z', file: null });
    const b = makeIdentity({ suites: ['x'], classname: '', name: 'y › z', file: null });
    expect(a.key).not.toBe(b.key);
  });

  it('is the same across shards, hosts and run ids (none of them is read)', () => {
    const shard = (host: string, id: string, ts: string, others: string) =>
      `<testsuites><testsuite name="pkg" hostname="${host}" id="${id}" timestamp="${ts}">${others}<testcase classname="pkg.A" name="t1" time="1"/></testsuite></testsuites>`;
    const a = parseJunit(shard('h1', '0', '2024-01-01T00:00:00', ''), { file: 'a.xml' });
    const b = parseJunit(shard('h2', '7', '2024-02-02T00:00:00', '<testcase classname="pkg.B" name="t2"/>'), { file: 'b.xml' });
    if (!a.ok || !b.ok) throw new Error('rejected');
    expect(a.report.cases[0]?.identity).toEqual(b.report.cases.find((c) => c.identity.name === 't1')?.identity);
  });
});

describe('checkout root', () => {
  it('normaliseRoot: absolute roots only, slashes and drive letters normalised, the file system root refused', () => {
    expect(normaliseRoot('/home/runner/work/app/app/')).toBe('/home/runner/work/app/app');
    expect(normaliseRoot('d:\\a\\app\\app\\')).toBe('D:/a/app/app');
    expect(normaliseRoot('relative/dir')).toBeNull();
    expect(normaliseRoot('./x')).toBeNull();
    expect(normaliseRoot('/')).toBeNull();
    expect(normaliseRoot('///')).toBeNull();
    expect(normaliseRoot('C:\\')).toBeNull();
    expect(normaliseRoot('')).toBeNull();
    expect(normaliseRoot(undefined)).toBeNull();
  });

  it('an absolute file under the root becomes relative; outside it, or without a root, it is kept', () => {
    const root = normaliseRoot('/var/lib/jenkins/workspace/app@2');
    expect(normaliseFile('/var/lib/jenkins/workspace/app@2/tests/a.php', root)).toBe('tests/a.php');
    expect(normaliseFile('/var/lib/jenkins/workspace/app@2//tests/a.php', root)).toBe('tests/a.php');
    // A sibling whose name starts with the root's is not under it.
    expect(normaliseFile('/var/lib/jenkins/workspace/app@20/tests/a.php', root)).toBe('/var/lib/jenkins/workspace/app@20/tests/a.php');
    expect(normaliseFile('/var/lib/jenkins/workspace/app@2', root)).toBe('/var/lib/jenkins/workspace/app@2');
    expect(normaliseFile('/opt/vendor/lib.php', root)).toBe('/opt/vendor/lib.php');
    expect(normaliseFile('tests/a.php', root)).toBe('tests/a.php');
    expect(normaliseFile('/var/lib/jenkins/workspace/app@2/tests/a.php')).toBe('/var/lib/jenkins/workspace/app@2/tests/a.php');
    // Windows runners: backslashes, drive letter in either case.
    expect(normaliseFile('d:\\a\\app\\app\\tests\\A.cs', normaliseRoot('D:\\a\\app\\app'))).toBe('tests/A.cs');
  });

  it('one PHPUnit test keeps one identity on two runners with different checkout paths', () => {
    const xml = fixtureText('phpunit.xml');
    const on = (dir: string) => {
      const r = parseJunit(xml.replaceAll('/repo/', `${dir}/`), { file: 'junit.xml', root: dir });
      if (!r.ok) throw new Error(r.error.message);
      return r.report.cases.map((c) => c.identity);
    };
    const a = on('/var/lib/jenkins/workspace/app');
    const b = on('/var/lib/jenkins/workspace/app@2');
    expect(a).toEqual(b);
    expect(a[0]).toMatchObject({ file: 'tests/MoneyTest.php', suite: 'Unit › App\\Tests\\MoneyTest' });
    // Without the root the two runners' paths make two tests.
    const c = parseJunit(xml.replaceAll('/repo/', '/srv/ci/app/'), { file: 'junit.xml' });
    if (!c.ok) throw new Error('rejected');
    expect(c.report.cases[0]?.identity.file).toBe('/srv/ci/app/tests/MoneyTest.php');
  });
});

describe('attempt grouping', () => {
  it('outcome of a result from its attempts', () => {
    const o = (...xs: ('passed' | 'failed' | 'error' | 'skipped')[]) => resultOutcome(xs.map((outcome) => ({ outcome })));
    expect(o('passed')).toBe('passed');
    expect(o('failed', 'passed')).toBe('flaky');
    expect(o('passed', 'failed')).toBe('flaky');
    expect(o('failed', 'error')).toBe('error');
    expect(o('error', 'failed')).toBe('failed');
    expect(o('skipped', 'skipped')).toBe('skipped');
    expect(o('skipped', 'passed')).toBe('passed');
    expect(o('failed', 'skipped')).toBe('failed');
    expect(resultOutcome([{ outcome: 'error' }, { outcome: 'passed' }], true)).toBe('passed');
  });

  it('duplicates with the same normalised identity are attempts in file order; others stay apart', () => {
    const r = parseJunit(
      '<testsuite name="s"><testcase classname="C" name="t"><failure message="1"/></testcase><testcase classname="C" name=" t "><error message="2"/></testcase><testcase classname="D" name="t"/><testcase classname="C" name="t"/></testsuite>',
      { file: 'd.xml' },
    );
    if (!r.ok) throw new Error('rejected');
    expect(r.report.cases.map((c) => [c.identity.classname, c.outcome, c.attempts.map((a) => a.message)])).toEqual([
      ['C', 'flaky', ['1', '2', null]],
      ['D', 'passed', [null]],
    ]);
  });
});
