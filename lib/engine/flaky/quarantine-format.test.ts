import { describe, expect, it } from 'vitest';
import { escapeRegExp, formatQuarantine, pytestNodeId, type QuarantinedTest } from './quarantine-format';

const t = (over: Partial<QuarantinedTest>): QuarantinedTest => ({
  id: 'id', key: 'k', suite: '', classname: '', name: 'x', file: null, since: null, reason: null, by: null, expires: null, ticket: null, ...over,
});

describe('pytest node ids', () => {
  it('uses the file and keeps the classes left after the module prefix', () => {
    expect(pytestNodeId(t({ file: 'tests/test_api.py', classname: 'tests.test_api.TestLogin', name: 'test_ok[admin-1]' }))).toBe('tests/test_api.py::TestLogin::test_ok[admin-1]');
    expect(pytestNodeId(t({ file: 'tests/test_api.py', classname: 'tests.test_api', name: 'test_plain' }))).toBe('tests/test_api.py::test_plain');
  });
  it('derives the file from a dotted classname when there is none', () => {
    expect(pytestNodeId(t({ classname: 'tests.unit.test_db.TestPool.TestInner', name: 'test_a' }))).toBe('tests/unit/test_db.py::TestPool::TestInner::test_a');
    expect(pytestNodeId(t({ classname: 'test_db', name: 'test_b' }))).toBe('test_db.py::test_b');
    expect(pytestNodeId(t({ classname: '', name: 'test_c' }))).toBe('test_c');
  });
});

describe('runner formats', () => {
  const list = [t({ name: 'renders [a] (b)' }), t({ name: 'TestB' }), t({ name: 'TestA/case_1' }), t({ name: 'TestA' })];
  it('jest: one anchored alternation of escaped names, never a match-all when empty', () => {
    expect(formatQuarantine(list, 'jest')).toBe('^(?:TestA|TestA\\/case_1|TestB|renders \\[a\\] \\(b\\))$\n');
    expect(formatQuarantine([], 'jest')).toBe('');
    expect(new RegExp(formatQuarantine(list, 'jest').trim()).test('renders [a] (b)')).toBe(true);
    expect(new RegExp(formatQuarantine(list, 'jest').trim()).test('renders [a] (b) too')).toBe(false);
  });
  it('go: top-level tests on one line, each subtest on its own per-level pattern', () => {
    expect(formatQuarantine(list, 'go')).toBe('^(?:TestA|TestB|renders \\[a\\] \\(b\\))$\n^TestA$/^case_1$\n');
    expect(formatQuarantine([], 'go')).toBe('');
  });
  it('text and json', () => {
    expect(formatQuarantine([t({ classname: 'pkg.A', name: 'b' }), t({ name: 'c' })], 'text')).toBe('pkg.A › b\nc\n');
    expect(JSON.parse(formatQuarantine([t({ name: 'c' })], 'json'))).toEqual({ tests: [t({ name: 'c' })] });
  });
  it('escapes every metacharacter', () => {
    const s = '.*+?^${}()|[]\\/';
    expect(new RegExp(`^${escapeRegExp(s)}$`).test(s)).toBe(true);
  });
});
