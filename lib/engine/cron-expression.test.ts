import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { cronExpressionProblem } from './cron-expression';

describe('cronExpressionProblem', () => {
  it.each([
    '0 3 * * *', '*/15 * * * *', '0 0-23/2 * * *', '0 3 * * 1-5', '0 3 * * MON-FRI', '0 3 * * sun', '0 3 * * 7', '0 3 1,15 * *',
    '0 3 * JAN-MAR *', '0 3 ? * ?', '0 3 L * *', '0 3 15W * *', '0 3 * * 5L', '0 3 * * 1#2', '30 2 1-31/2 * *', '@daily', '@Weekly', '  0 3 * * *  ',
  ])('accepts %s (and so does croner)', (e) => {
    expect(cronExpressionProblem(e)).toBeNull();
    expect(() => new Cron(e.trim(), { paused: true })).not.toThrow();
  });

  it('treats an empty expression as "no schedule"', () => {
    expect(cronExpressionProblem('')).toBeNull();
    expect(cronExpressionProblem('   ')).toBeNull();
  });

  it.each([
    ['61 * * * *', '"61 * * * *": minute must be 0–59'],
    ['0 24 * * *', '"0 24 * * *": hour must be 0–23'],
    ['0 3 0 * *', '"0 3 0 * *": day-of-month must be 1–31'],
    ['0 3 * 13 *', '"0 3 * 13 *": month must be 1–12'],
    ['0 3 * * 8', '"0 3 * * 8": day-of-week must be 0–7'],
    ['every tuesday', '"every tuesday" has 2 fields; a cron expression has 5: minute hour day-of-month month day-of-week, e.g. "0 3 * * *"'],
    ['0 3 * * * *', '"0 3 * * * *" has 6 fields; a cron expression has 5: minute hour day-of-month month day-of-week, e.g. "0 3 * * *"'],
    ['0 3 * * tue-x', '"0 3 * * tue-x": day-of-week "x" is not a number, or a name (SUN–SAT)'],
    ['0 5-2 * * *', '"0 5-2 * * *": hour range "5-2" goes backwards; write "2-5"'],
    ['*/0 * * * *', '"*/0 * * * *": minute step must be at least 1'],
    ['*/75 * * * *', '"*/75 * * * *": minute step 75 is larger than the field\'s range 0–59'],
    ['5/15 * * * *', '"5/15 * * * *": minute "5/15": a step needs * or a range before it, e.g. "5-59/15"'],
    ['0 3 1,,2 * *', '"0 3 1,,2 * *": day-of-month has an empty item in its list'],
    ['0 3 * * 1#6', '"0 3 * * 1#6": day-of-week "1#6": the week number after # must be 1–5'],
    ['@often', '"@often" is not a known nickname (@hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually)'],
    ['0 3 ? * ? L', '"0 3 ? * ? L" has 6 fields; a cron expression has 5: minute hour day-of-month month day-of-week, e.g. "0 3 * * *"'],
  ])('refuses %s with Steward\'s message', (e, msg) => {
    expect(cronExpressionProblem(e)).toBe(msg);
    expect(cronExpressionProblem(e)).not.toMatch(/CronPattern/);
  });
});
