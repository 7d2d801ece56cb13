import { describe, expect, it } from 'vitest';
import { utcMinute, zoneMinute, zoneMinuteAfter } from './time-text';

const at = (iso: string) => new Date(iso);

describe('times in a check sentence', () => {
  it('UTC, and a zone the runtime does not know, read as UTC', () => {
    expect(zoneMinute(at('2026-12-01T05:16:59.999Z'), 'UTC')).toBe('2026-12-01 05:16 UTC');
    expect(zoneMinute(at('2026-12-01T05:16:00Z'), 'Nope/Zone')).toBe(utcMinute(at('2026-12-01T05:16:00Z')));
    expect(zoneMinuteAfter(at('2026-12-01T06:15:00Z'), at('2026-12-01T05:15:00Z'), 'UTC')).toBe('06:15 UTC');
  });

  it('in the zone: seconds truncated, the day only when it differs from the reference, in that zone', () => {
    expect(zoneMinute(at('2026-12-01T03:15:59.999Z'), 'Europe/Riga')).toBe('2026-12-01 05:15 Europe/Riga');
    expect(zoneMinuteAfter(at('2026-12-01T04:15:00Z'), at('2026-12-01T03:15:00Z'), 'Europe/Riga')).toBe('06:15 Europe/Riga');
    // 22:30 UTC is the next day in Riga (00:30), the same day as 21:59 UTC is not (23:59).
    expect(zoneMinuteAfter(at('2026-12-01T22:30:00Z'), at('2026-12-01T21:59:00Z'), 'Europe/Riga')).toBe('2026-12-02 00:30 Europe/Riga');
    expect(zoneMinuteAfter(at('2026-12-01T21:59:00Z'), at('2026-12-01T20:00:00Z'), 'Europe/Riga')).toBe('23:59 Europe/Riga');
  });

  it('names the offset within an hour of a clock change, and only then', () => {
    // Riga springs forward at 01:00 UTC on 29 March 2026 (03:00 EET → 04:00 EEST).
    expect(zoneMinute(at('2026-03-29T01:00:00Z'), 'Europe/Riga')).toBe('2026-03-29 04:00 Europe/Riga (GMT+3)');
    expect(zoneMinute(at('2026-03-29T00:00:00Z'), 'Europe/Riga')).toBe('2026-03-29 02:00 Europe/Riga (GMT+2)');
    expect(zoneMinute(at('2026-03-28T23:59:00Z'), 'Europe/Riga')).toBe('2026-03-29 01:59 Europe/Riga');
    expect(zoneMinute(at('2026-03-29T02:01:00Z'), 'Europe/Riga')).toBe('2026-03-29 05:01 Europe/Riga');
    // New York falls back at 06:00 UTC on 1 November 2026: 01:30 happens twice.
    expect(zoneMinute(at('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('2026-11-01 01:30 America/New_York (GMT-4)');
    expect(zoneMinute(at('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01 01:30 America/New_York (GMT-5)');
  });
});
