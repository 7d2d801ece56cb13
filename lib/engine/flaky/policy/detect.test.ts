import { describe, expect, it } from 'vitest';
import { failedReruns, flakeEvents } from './detect';
import { D, failed, flaky, H, NOW, row } from './test-helpers';

function flakesOf(rows: Parameters<typeof flakeEvents>[0], testId = 't1') {
  return flakeEvents(rows).get(testId) ?? [];
}

describe('flakeEvents', () => {
  it('a flaky result is one flake, timed at that result', () => {
    const r = flaky({ commit: 'abc1234def', at: NOW - H });
    expect(flakesOf([r])).toEqual([
      { testId: 't1', commit: 'abc1234def', variant: null, at: NOW - H, uploadId: r.uploadId, branch: 'main', kind: 'retry', results: 1 },
    ]);
  });

  it('a pass and a fail in two results of one commit (a re-run) are one flake, timed at the second', () => {
    const fail = failed({ commit: 'c1', at: NOW - 2 * H });
    const pass = row({ commit: 'c1', at: NOW - H });
    const events = flakesOf([pass, fail]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ commit: 'c1', at: NOW - H, uploadId: pass.uploadId, kind: 'rerun', results: 2 });
  });

  it('pass first, then fail, is a flake too', () => {
    const events = flakesOf([row({ commit: 'c1', at: NOW - 2 * H }), failed({ commit: 'c1', outcome: 'error', at: NOW - H })]);
    expect(events.map((e) => [e.at, e.kind])).toEqual([[NOW - H, 'rerun']]);
  });

  it('three flaky results on one commit are one flake, at the first', () => {
    const events = flakesOf([flaky({ commit: 'c1', at: NOW - 3 * H }), flaky({ commit: 'c1', at: NOW - 2 * H }), flaky({ commit: 'c1', at: NOW - H })]);
    expect(events.map((e) => [e.at, e.results])).toEqual([[NOW - 3 * H, 3]]);
  });

  it('the same commit on two variants is two flakes', () => {
    const events = flakesOf([flaky({ commit: 'c1', variant: 'chromium' }), flaky({ commit: 'c1', variant: 'firefox' })]);
    expect(events.map((e) => e.variant).sort()).toEqual(['chromium', 'firefox']);
  });

  it('a pass on one variant and a fail on another is no flake; nor are passes or fails alone', () => {
    expect(flakesOf([row({ commit: 'c1', variant: 'chromium' }), failed({ commit: 'c1', variant: 'firefox' })])).toEqual([]);
    expect(flakesOf([row({ commit: 'c1' }), row({ commit: 'c1' }), failed({ commit: 'c2' }), failed({ commit: 'c2' })])).toEqual([]);
  });

  it('null-commit rows: each flaky result is its own flake; pass + fail across them is not', () => {
    const a = flaky({ commit: null, at: NOW - 2 * H });
    const b = flaky({ commit: null, at: NOW - H });
    expect(flakesOf([b, a]).map((e) => [e.uploadId, e.commit, e.kind])).toEqual([
      [a.uploadId, null, 'retry'],
      [b.uploadId, null, 'retry'],
    ]);
    expect(flakesOf([row({ commit: null }), failed({ commit: null })])).toEqual([]);
  });

  it('ignores infra-upload, synthetic and skipped rows', () => {
    expect(flakesOf([flaky({ infra: true })])).toEqual([]);
    expect(flakesOf([flaky({ synthetic: true })])).toEqual([]);
    expect(flakesOf([failed({ commit: 'c1', infra: true }), row({ commit: 'c1' })])).toEqual([]);
    expect(flakesOf([failed({ commit: 'c1' }), row({ commit: 'c1', outcome: 'skipped' })])).toEqual([]);
  });

  it('keys flakes by test and orders each list by time', () => {
    const map = flakeEvents([flaky({ testId: 'b', at: NOW }), flaky({ testId: 'a', at: NOW - D }), flaky({ testId: 'b', at: NOW - 2 * D })]);
    expect([...map.keys()].sort()).toEqual(['a', 'b']);
    expect(map.get('b')?.map((e) => e.at)).toEqual([NOW - 2 * D, NOW]);
  });
});

describe('failedReruns', () => {
  it('lists failed results of a commit and variant that also passed elsewhere', () => {
    const f1 = failed({ commit: 'c1', at: NOW - 3 * H });
    const f2 = failed({ commit: 'c1', outcome: 'error', at: NOW - 2 * H });
    const rows = [row({ commit: 'c1', at: NOW - H }), f2, f1, failed({ commit: 'c2' }), failed({ commit: 'c1', variant: 'other' }), failed({ commit: null })];
    expect(failedReruns(rows)).toEqual([f1, f2]);
  });
});
