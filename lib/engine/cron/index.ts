/** Cron checks engine (pure): schedules, the state function, ping URLs, freshness, the sentinel. */
export * from './types';
export { scheduleProblems, nextExpected, nextTimes, describeSchedule, isTimeZone, ScheduleError, SCHEDULE_LIMITS, type ScheduleProblem } from './schedule';
export { evaluateCheck } from './state';
export { applyPing, type PingFact, type PingOutcome } from './apply-ping';
export { mergeWindows, deferDeadline, type Span } from './windows';
export { parsePingPath, parseRid, isUuid, type PingPathError } from './ping-url';
export { evaluateFreshness, freshnessChangesAt, DEFAULT_FUTURE_TOLERANCE_SECONDS } from './freshness';
export { parseSentinelConfig, formatSentinelConfigError, SENTINEL_LIMITS, type SentinelConfigError, type SentinelConfigResult } from './sentinel-config';
export { isGlob, compileSegmentGlob, splitArtifactPattern, newestMatch, MAX_GLOB_SEGMENT_CHARS, type ArtifactPattern, type DirEntry } from './glob';
export { sentinelExitCode, formatSentinelTable, summarizeSentinel, toTaskResult, sanitizeForTerminal } from './report';
export { utcMinute } from './time-text';
