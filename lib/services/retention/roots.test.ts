import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedBases, nextRunOf, validateSchedule } from './roots';

describe('allowedBases (STEWARD_ARTIFACT_BASES)', () => {
  const dataDir = '/srv/steward/data';

  it('unset or empty: <data dir>/artifacts', () => {
    expect(allowedBases({ dataDir })).toEqual(['/srv/steward/data/artifacts']);
    expect(allowedBases({ dataDir, STEWARD_ARTIFACT_BASES: '' })).toEqual(['/srv/steward/data/artifacts']);
    expect(allowedBases({ dataDir, STEWARD_ARTIFACT_BASES: ' : :: ' })).toEqual(['/srv/steward/data/artifacts']);
  });

  it('colon-separated; blanks trimmed, empty parts dropped, each resolved to an absolute normalised path', () => {
    expect(allowedBases({ dataDir, STEWARD_ARTIFACT_BASES: '/srv/ci:  /data/soak/ ::/var/../opt/x' })).toEqual(['/srv/ci', '/data/soak', '/opt/x']);
  });

  it('a relative entry is resolved against the working directory (never left relative)', () => {
    expect(allowedBases({ dataDir, STEWARD_ARTIFACT_BASES: 'artifacts' })).toEqual([path.resolve('artifacts')]);
  });
});

describe('schedules', () => {
  it('validateSchedule accepts cron and null; names a bad expression or time zone', () => {
    expect(validateSchedule(null)).toBeNull();
    expect(validateSchedule('')).toBeNull();
    expect(validateSchedule('*/5 * * * *', 'Europe/Berlin')).toBeNull();
    expect(validateSchedule('every tuesday')).toBe('"every tuesday" has 2 fields; a cron expression has 5: minute hour day-of-month month day-of-week, e.g. "0 3 * * *"');
    expect(validateSchedule('0 3 * * *', 'Mars/Olympus_Mons')).toMatch(/^"0 3 \* \* \*" is not a cron expression Steward can run/);
  });

  it('nextRunOf: the next slot strictly after now in the root time zone; null without or with a bad schedule', () => {
    const now = new Date('2026-03-02T02:59:59.000Z');
    expect(nextRunOf({ schedule: '0 3 * * *', timezone: 'UTC' }, now)?.toISOString()).toBe('2026-03-02T03:00:00.000Z');
    expect(nextRunOf({ schedule: '0 3 * * *', timezone: 'UTC' }, new Date('2026-03-02T03:00:00.000Z'))?.toISOString()).toBe('2026-03-03T03:00:00.000Z');
    expect(nextRunOf({ schedule: '0 3 * * *', timezone: 'Europe/Berlin' }, now)?.toISOString()).toBe('2026-03-03T02:00:00.000Z');
    expect(nextRunOf({ schedule: null, timezone: 'UTC' }, now)).toBeNull();
    expect(nextRunOf({ schedule: 'bogus', timezone: 'UTC' }, now)).toBeNull();
  });
});
