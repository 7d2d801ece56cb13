// The sentinel config's and the schedule checker's messages at their edges: the shapes a wrong
// file takes (empty, not a mapping, no tasks, a typo, a BOM, an alias without its anchor, quoted
// keys) and the schedule's required fields and length limits. Added after mutation testing showed
// the messages were asserted only loosely (README, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { formatSentinelConfigError, parseSentinelConfig, scheduleProblems, SCHEDULE_LIMITS } from './index';

const errors = (text: string) => {
  const r = parseSentinelConfig(text, 's.yaml');
  return r.ok ? [] : r.errors.map(formatSentinelConfigError);
};
const HINT = 'expected {"tasks": [{"name": …, "artifact": …, "max_age": "36h"}]}';
const TASK = 'tasks:\n  - name: a\n    artifact: x\n    max_age: 1h\n';

describe('sentinel config: wrong shapes, each named', () => {
  it('an empty file, a file of comments, a list at the top, no tasks', () => {
    expect(errors('')).toEqual([`s.yaml line 1, column 1: the file is empty; ${HINT}`]);
    expect(errors('# only a comment\n')).toEqual([`s.yaml line 1, column 1: the file is empty; ${HINT}`]);
    expect(errors('- a\n- b\n')).toEqual([`s.yaml line 1, column 1: the top level must be a mapping; ${HINT}`]);
    expect(errors('tasks:\n')).toEqual(['s.yaml line 1, column 1: tasks: is empty; list at least one task']);
    expect(errors('tasks: []\n')).toEqual(['s.yaml line 1, column 8: tasks: is empty; list at least one task']);
  });

  it('a typo of "tasks" is an unknown key with a suggestion, and tasks is then missing', () => {
    expect(errors('taks:\n  - name: a\n')).toEqual([
      's.yaml line 1, column 1: taks: unknown key "taks" (did you mean "tasks"?); expected tasks',
      `s.yaml line 1, column 1: tasks: is missing; ${HINT}`,
    ]);
    expect(errors('{"tasks": [{"name": "a", "artifact": "x", "max_age": "1h"}], "extra": 1}')).toEqual(['s.yaml line 1, column 62: extra: unknown key "extra"; expected tasks']);
  });

  it('a byte-order mark is not part of the first key', () => {
    expect(parseSentinelConfig(`\uFEFF${TASK}`, 's.yaml')).toEqual({ ok: true, config: { tasks: [{ name: 'a', artifact: 'x', maxAgeSeconds: 3600 }] } });
  });

  it('unknown task keys are named as written, quoted or not, and cut at 40 characters', () => {
    expect(errors(`${TASK}    "quoted key": 1\n`)).toEqual(['s.yaml line 5, column 5: tasks[0].quoted key: unknown key "quoted key"; expected name, artifact, max_age']);
    expect(errors(`${TASK}    'single key': 1\n`)).toEqual(['s.yaml line 5, column 5: tasks[0].single key: unknown key "single key"; expected name, artifact, max_age']);
    const k40 = 'k'.repeat(40);
    expect(errors(`${TASK}    ${k40}: 1\n`)[0]).toContain(`unknown key "${k40}";`);
    expect(errors(`${TASK}    ${k40}k: 1\n`)[0]).toContain(`unknown key "${k40}…";`);
  });

  it('an alias without its anchor is refused where it stands', () => {
    expect(errors('tasks:\n  - *nope\n')).toEqual(['s.yaml line 2, column 5: alias *nope has no anchor &nope before it']);
  });
});

describe('scheduleProblems: required fields and limits', () => {
  const cron = (expression: string, timezone: string) => scheduleProblems({ kind: 'cron', expression, timezone, graceSeconds: 0 });
  it('names a missing time zone or expression, and an unknown kind', () => {
    expect(cron('0 3 * * *', '')).toEqual([{ field: 'schedule.timezone', message: 'is required (an IANA time zone such as UTC or Europe/Riga)' }]);
    expect(cron('', 'UTC')).toEqual([{ field: 'schedule.expression', message: 'is required, e.g. "15 5 * * *"' }]);
    expect(scheduleProblems({ kind: 'nope', graceSeconds: 0 } as never)).toEqual([{ field: 'schedule.kind', message: 'must be "period" or "cron"' }]);
    expect(cron('0 3 * * *', 'Mars/Olympus')).toEqual([{ field: 'schedule.timezone', message: '"Mars/Olympus" is not an IANA time zone (e.g. UTC, Europe/Riga)' }]);
  });
  it('an expression of exactly the limit is checked as cron; one character more is refused for its length', () => {
    const max = SCHEDULE_LIMITS.maxExpressionChars;
    const atLimit = `0 3 * * *${' '.repeat(max - 10)}x`;
    expect(atLimit).toHaveLength(max);
    expect(cron(atLimit, 'UTC')[0]?.message).not.toMatch(/longer than/);
    expect(cron(`${atLimit}x`, 'UTC')).toEqual([{ field: 'schedule.expression', message: `is longer than ${max} characters` }]);
  });
});
