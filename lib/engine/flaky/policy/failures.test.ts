import { describe, expect, it } from 'vitest';
import { groupFailures, MAX_NORMALIZED_LENGTH, normalizeFailureMessage } from './failures';

describe('normalizeFailureMessage', () => {
  it.each([
    ['\x1b[31mAssertionError: expected 3 to equal 4\x1b[39m', 'AssertionError: expected <n> to equal <n>'],
    ['Timeout of 2000ms exceeded', 'Timeout of <duration> exceeded'],
    ['Test timed out after 1.5 s (took 1m30s)', 'Test timed out after <duration> (took <duration>)'],
    ['SIGSEGV at 0x7ffd5e8c2a10 in frame 0xDEADBEEF', 'SIGSEGV at <hex> in frame <hex>'],
    ['object 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b not found', 'object <hex> not found'],
    ['user 3F2504E0-4F89-11D3-9A0C-0305E82C3301 missing', 'user <uuid> missing'],
    ["ENOENT: no such file, open '/tmp/vitest-abc123/out.json'", "ENOENT: no such file, open '<tmp>'"],
    ['at /private/var/folders/xy/T/jest_dx/a.test.js:12:5', 'at <tmp>:<n>:<n>'],
    ['cannot write C:\\Users\\ci\\AppData\\Local\\Temp\\pytest-1\\x.txt', 'cannot write <tmp>'],
    ['connect ECONNREFUSED 127.0.0.1:5432', 'connect ECONNREFUSED <n>:<n>'],
    ['at 2025-10-15T12:00:00.123Z the lock was held', 'at <time> the lock was held'],
    ['  line one\n\n\tline   two  ', 'line one line two'],
    ['test_x2 failed in http2 handler', 'test_x2 failed in http2 handler'],
    ['\x1b]8;;https://x.test\x07link\x1b]8;;\x07 bell\x07', 'link bell'],
    ['', '(no message)'],
    [null, '(no message)'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeFailureMessage(input)).toBe(expected);
  });

  it('bounds the length', () => {
    const out = normalizeFailureMessage('x'.repeat(2000));
    expect(out).toHaveLength(MAX_NORMALIZED_LENGTH);
    expect(out.endsWith('…')).toBe(true);
  });
});

describe('groupFailures', () => {
  it('groups by normalised message, most frequent first, then by message', () => {
    expect(
      groupFailures(['Timeout of 2000ms exceeded', 'b: expected 1', 'Timeout of 5000ms exceeded', 'a: expected 2', null, '\x1b[1mTimeout of 10ms exceeded\x1b[0m']),
    ).toEqual([
      { message: 'Timeout of <duration> exceeded', count: 3, example: 'Timeout of 2000ms exceeded' },
      { message: '(no message)', count: 1, example: '(no message)' },
      { message: 'a: expected <n>', count: 1, example: 'a: expected 2' },
      { message: 'b: expected <n>', count: 1, example: 'b: expected 1' },
    ]);
    expect(groupFailures([])).toEqual([]);
  });
});
