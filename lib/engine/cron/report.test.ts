import { describe, expect, it } from 'vitest';
import { formatSentinelTable, sanitizeForTerminal, sentinelExitCode, summarizeSentinel, toTaskResult } from './report';
import type { SentinelTask, SentinelTaskResult } from './types';

const NOW = new Date('2026-12-02T12:00:00.000Z');
const H = 3_600_000;
const task = (over: Partial<SentinelTask> = {}): SentinelTask => ({ name: 'nightly_tests', artifact: 'artifacts/reports/nightly_results.json', maxAgeSeconds: 36 * 3600, ...over });
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('toTaskResult', () => {
  it('fresh, with the ISO mtime and the verdict', () => {
    expect(toTaskResult(task(), 'artifacts/reports/nightly_results.json', ago(2 * H), NOW)).toEqual({
      name: 'nightly_tests',
      artifact: 'artifacts/reports/nightly_results.json',
      path: 'artifacts/reports/nightly_results.json',
      status: 'fresh',
      mtime: '2026-12-02T10:00:00.000Z',
      ageSeconds: 7200,
      maxAgeSeconds: 129_600,
      reason: 'modified 2h ago (max 36h)',
    });
  });
  it('stale at 1 ms past the max age', () => {
    expect(toTaskResult(task(), 'a', ago(36 * H), NOW).status).toBe('fresh');
    expect(toTaskResult(task(), 'a', ago(36 * H + 1), NOW).status).toBe('stale');
  });
  it('missing: no path, or a path whose mtime could not be read', () => {
    expect(toTaskResult(task(), null, null, NOW)).toMatchObject({ path: null, status: 'missing', mtime: null, ageSeconds: null, reason: 'missing' });
    expect(toTaskResult(task(), null, ago(H), NOW)).toMatchObject({ status: 'missing', mtime: null });
    expect(toTaskResult(task(), 'a', null, NOW)).toMatchObject({ path: 'a', status: 'missing', mtime: null });
  });
  it('a glob with no match says so', () => {
    expect(toTaskResult(task({ artifact: 'reports/nightly_*.json' }), null, null, NOW).reason).toBe('no file matches reports/nightly_*.json');
  });
  it('future, with the tolerance honoured', () => {
    expect(toTaskResult(task(), 'a', ago(-3 * H), NOW)).toMatchObject({ status: 'future', ageSeconds: -10_800, reason: 'modified 3h in the future (clock skew or a forged timestamp)' });
    expect(toTaskResult(task(), 'a', ago(-3 * H), NOW, 4 * 3600).status).toBe('fresh');
  });
});

describe('sentinelExitCode', () => {
  const r = (status: SentinelTaskResult['status']) => ({ status }) as SentinelTaskResult;
  it('0 only when everything is fresh', () => {
    expect(sentinelExitCode([])).toBe(0);
    expect(sentinelExitCode([r('fresh'), r('fresh')])).toBe(0);
    expect(sentinelExitCode([r('fresh'), r('stale')])).toBe(1);
    expect(sentinelExitCode([r('missing')])).toBe(1);
    expect(sentinelExitCode([r('future')])).toBe(1);
  });
});

describe('sanitizeForTerminal', () => {
  it.each([
    ['plain', 'plain'],
    ['\u001b[2Jcleared', 'cleared'],
    ['\u001b[31mred\u001b[0m', 'red'],
    ['\u001b]0;title\u0007x', 'x'],
    ['\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['a\rb\nc\td', 'a?b?c?d'],
    ['a\u0000b\u007fc\u009bd', 'a?b?c?d'],
    ['evil\u202etxt.exe', 'evil?txt.exe'],
    ['zero\u200bwidth', 'zero?width'],
    ['lone\u001b', 'lone?'],
    ['ünïcødé ✓', 'ünïcødé ✓'],
  ])('%j → %j', (input, want) => {
    expect(sanitizeForTerminal(input)).toBe(want);
  });
  it('cuts long text by characters, not code units', () => {
    expect(sanitizeForTerminal('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
    expect(sanitizeForTerminal('abcde', 5)).toBe('abcde');
  });
});

describe('formatSentinelTable and summarizeSentinel', () => {
  const results = [
    toTaskResult(task(), 'artifacts/reports/nightly_results.json', ago(2 * H - 5 * 60_000), NOW),
    toTaskResult(task({ name: 'backups', artifact: 'backups/db-*.tar.gz', maxAgeSeconds: 86_400 }), null, null, NOW),
    toTaskResult(task({ name: 'clock', artifact: 'x.json' }), 'x.json', ago(-3 * H), NOW),
    toTaskResult(task({ name: 'old', artifact: 'old.json', maxAgeSeconds: 3600 }), 'old.json', ago(30 * H), NOW),
  ];
  it('aligns columns and ends rows without padding', () => {
    expect(formatSentinelTable(results)).toBe(
      [
        'STATUS   TASK           AGE       MAX AGE  FILE',
        'fresh    nightly_tests  1h 55m    36h      artifacts/reports/nightly_results.json',
        'missing  backups        -         1d       backups/db-*.tar.gz (no match)',
        'future   clock          3h ahead  36h      x.json',
        'stale    old            1d 6h     1h       old.json',
      ].join('\n'),
    );
  });
  it('sanitizes names and paths so a hostile file cannot drive the terminal', () => {
    const evil = toTaskResult(task({ name: '\u001b[2Jevil\nname' }), 'dir/\u001b]0;pwned\u0007f\r.json', ago(H), NOW);
    const out = formatSentinelTable([evil]);
    // eslint-disable-next-line no-control-regex -- asserting no control characters survive is the point
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toContain('evil?name');
    expect(out).toContain('dir/f?.json');
  });
  it('only the header for no results', () => {
    expect(formatSentinelTable([])).toBe('STATUS  TASK  AGE  MAX AGE  FILE');
  });
  it('summarizes', () => {
    expect(summarizeSentinel(results)).toBe('3 of 4 tasks not fresh: backups (missing), clock (future), old (stale)');
    expect(summarizeSentinel(results.slice(0, 1))).toBe('the task is fresh');
    expect(summarizeSentinel([results[0]!, results[0]!])).toBe('all 2 tasks fresh');
    expect(summarizeSentinel([])).toBe('no tasks');
    const many = Array.from({ length: 12 }, (_, i) => ({ ...results[1]!, name: `t${i}` }));
    expect(summarizeSentinel(many)).toMatch(/^12 of 12 tasks not fresh: t0 \(missing\), .*t9 \(missing\), and 2 more$/);
  });
});
