import { describe, expect, it } from 'vitest';
import { judgeChaos, parseChaosFile } from './chaos';
import { formatE2eSummary, parseE2eEvents } from './e2e';
import { SoakParseError } from './errors';

const ev = (o: Record<string, unknown>) => JSON.stringify(o);

describe('events.jsonl', () => {
  it('last successful step, failing step and its error', () => {
    const p = parseE2eEvents([ev({ step: 'publish', status: 'start' }), ev({ step: 'publish', status: 'ok' }), ev({ step: 'install', status: 'start' }), ev({ step: 'install', status: 'fail', error: 'E404' })].join('\n') + '\n');
    expect(p.errors).toEqual([]);
    expect(p.runs[0]).toMatchObject({ pipeline: 'e2e', outcome: 'fail', lastSuccessfulStep: 'publish', failingStep: 'install', error: 'E404' });
    expect(formatE2eSummary(p.runs[0]!)).toBe('E2E e2e: FAIL — 1/2 step(s) ok\n  last successful step: publish\n  failing step: install\n  error: E404');
  });
  it('a step started and never finished is incomplete; a truncated last line is a warning; pipelines are separate runs', () => {
    const p = parseE2eEvents([ev({ pipeline: 'a', step: 's1', status: 'ok' }), ev({ pipeline: 'b', step: 'x', status: 'step_start' }), '{"pipeline": "b", "step": "x", "sta'].join('\n'));
    expect(p.errors).toEqual([]);
    expect(p.warnings[0]).toMatch(/^line 3: truncated last line ignored/);
    expect(p.runs.map((r) => [r.pipeline, r.outcome, r.failingStep])).toEqual([['a', 'pass', null], ['b', 'incomplete', 'x']]);
  });
  it('bad lines are errors with their numbers (not only the first)', () => {
    const p = parseE2eEvents(['{x', ev({ status: 'ok' }), ev({ step: 's', status: 'weird' }), ev({ step: 's', status: 'ok', pipeline: 'bad name!' }), ev({ step: 's', status: 'ok' })].join('\n') + '\n');
    expect(p.errors.map((e) => e.line)).toEqual([1, 2, 3, 4]);
    expect(p.errors[1]!.message).toBe('needs "step" (the step name)');
  });
});

describe('chaos results', () => {
  it('success rate > 95 % and recovery < 30 s, both strict', () => {
    expect(judgeChaos({ scenario: 's', attempts: 20, passed: 19, recoveryMs: [29_999] })).toMatchObject({ successRate: 0.95, successOk: false, recoveryOk: true });
    expect(judgeChaos({ scenario: 's', attempts: 100, passed: 96, recoveryMs: [30_000, 1000] })).toMatchObject({ successOk: true, recoveryOk: false, recoveryMedianMs: 15_500 });
    expect(judgeChaos({ scenario: 's', attempts: 3, passed: 3, recoveryMs: [] })).toMatchObject({ recoveryOk: null, recoveryMedianMs: null });
  });
  it('JSON attempts and tallies; bad entries name their path', () => {
    const s = parseChaosFile('c.json', JSON.stringify({ scenarios: [{ name: 'a', runs: 10, passed: 9, recovery_times_ms: [100] }, { name: 'a', passed: true, recovery_s: 2 }] }));
    expect(s).toEqual([{ scenario: 'a', attempts: 11, passed: 10, recoveryMs: [100, 2000] }]);
    const bad = (v: unknown) => { try { parseChaosFile('c.json', JSON.stringify(v)); } catch (e) { return (e as SoakParseError).message; } return 'ok'; };
    expect(bad({ results: [{ scenario: 'a', runs: 2, passed: 3 }] })).toBe('c.json: results[0].passed: 3 must be a whole number from 0 to runs (2)');
    expect(bad({ results: [{ scenario: 'a', status: 'maybe' }] })).toBe('c.json: results[0]: needs "status" (passed or failed) or "passed": true/false');
    expect(bad([{ scenario: 'a', status: 'passed', recovery_time_s: -1 }])).toBe('c.json: [0].recovery_time_s: -1 is not a non-negative number');
  });
  it('JUnit with a tag keeps only tagged cases; retries are attempts; entities are never expanded', () => {
    const xml = '<testsuite name="x"><testcase classname="tests.phase9_chaos.t" name="restart"><failure message="a"/></testcase><testcase classname="tests.phase9_chaos.t" name="restart"/><testcase classname="tests.unit" name="u"/></testsuite>';
    expect(parseChaosFile('c.xml', xml)).toMatchObject([{ scenario: 'restart', attempts: 2, passed: 1 }]);
    expect(() => parseChaosFile('c.xml', xml, 'nothing-here')).toThrow('no test case tagged "nothing-here"');
    expect(() => parseChaosFile('c.xml', '<!DOCTYPE a [<!ENTITY b "chaos">]><testsuite><testcase name="&b;"/></testsuite>')).toThrow(SoakParseError);
  });
});
