/**
 * The demo's weeks. They count from the CI story's first day (`ciDay0`, day 0), not from the
 * calendar: days 5 and 6 of each are its quiet days ("weekends") and day 0 its "Monday". With
 * calendar weekends the random streams of the stories, and so the stories themselves (which tests
 * flake, are quarantined, break and recover; which perf run is a regression; when the weekly
 * baseline refresh can take a clean window), changed with the weekday the demo was loaded on:
 * loaded on some days it had three quarantined tests and none recovering, or no v2 baseline to roll
 * back. Counted from its first day, every story is the same whatever day it is loaded, up to the
 * hour of the last day it stops at.
 */
const DAY = 86_400_000;

/** Day of the demo's week, 0–6, of a day counted from `ciDay0` (negative days too: the perf history starts earlier). */
const dayOfWeek = (ciDay: number) => ((Math.floor(ciDay) % 7) + 7) % 7;

export const isDemoWeekend = (ciDay: number): boolean => dayOfWeek(ciDay) >= 5;
export const isDemoWeekStart = (ciDay: number): boolean => dayOfWeek(ciDay) === 0;
/** The same for an instant: the demo day it falls in. */
export const isDemoWeekendAt = (ms: number, ciDay0: number): boolean => isDemoWeekend(Math.floor((ms - ciDay0) / DAY));
